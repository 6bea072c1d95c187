import base64
import os
import tempfile
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install")
class TestScreenshots(HttpCase):
    """The pictures of docs/screenshots/, in Vietnamese: each screen brought to its state by a tour
    (static/tests/tours/omni_screenshot_tours.js), then photographed. scripts/screenshots.sh names
    their folder in OMNI_SCREENSHOTS; make test takes them in a folder of its own, so that a screen
    the tours no longer reach fails there."""

    browser_size = "1440x900"

    def _screens(self):
        """(file name, URL, tour) of each picture."""
        env = self.env
        shopee = env["omni.channel"].search([("code", "=", "shopee_vn")])
        # The customer known on the most channels, the one who spends most among them.
        customer = max(
            env["res.partner"].search([("omni_identity_ids", "!=", False), ("is_company", "=", False)]),
            key=lambda partner: (len(partner.omni_identity_ids.channel_id), partner.omni_revenue),
        )
        program = env["loyalty.program"].search([("program_type", "=", "loyalty")], limit=1)
        tee = env["product.product"].search([("default_code", "=", "TEE-M")]).product_tmpl_id
        # (tour omni_shot_<name>, action, record shown or None): docs/screenshots/<nn>_<name>.png
        screens = [
            ("dashboard", "omni_channel_sync.omni_channel_dashboard_action", None),
            ("inbox", "omni_channel_sync.omni_channel_inbox_action", None),
            ("channel", "omni_channel_sync.omni_channel_action", shopee),
            ("allocation", "omni_stock.omni_stock_allocation_preview_server_action", None),
            ("customer", "omni_customer360.omni_customer_action", customer),
            ("loyalty", "omni_loyalty.omni_loyalty_program_action", program),
            ("liability", "omni_loyalty.omni_loyalty_liability_report_action", None),
            ("performance", "omni_channel_sync.omni_channel_report_action", None),
            ("deliveries", "omni_stock.stock_picking_action_channel_deliveries", None),
            ("product", "stock.product_template_action_product", tee),
        ]
        return [
            (f"{number:02}_{name}", f"/odoo/action-{action}" + (f"/{record.id}" if record else ""), name)
            for number, (name, action, record) in enumerate(screens, 1)
        ]

    def test_screenshots(self):
        folder = Path(os.environ.get("OMNI_SCREENSHOTS") or self.enterContext(tempfile.TemporaryDirectory()))
        self.env.ref("base.user_admin").lang = "vi_VN"
        stop = ChromeBrowser.stop
        taken = {}

        def photograph_then_stop(browser):
            # The browser stops when the tour has succeeded: the screen is in its state.
            shot = browser._websocket_request("Page.captureScreenshot", params={"format": "png"}, timeout=30)
            taken["png"] = base64.b64decode(shot["data"])
            stop(browser)

        for name, url, tour in self._screens():
            taken.clear()
            with self.subTest(screen=name), patch.object(ChromeBrowser, "stop", photograph_then_stop):
                self.start_tour(url, f"omni_shot_{tour}", login="admin", timeout=120)
                self.assertEqual(taken["png"][:8], b"\x89PNG\r\n\x1a\n", name)
                (folder / f"{name}.png").write_bytes(taken["png"])
