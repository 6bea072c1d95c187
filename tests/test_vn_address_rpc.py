"""Vietnam's 2025 map over RPC: a channel's order with a former address, a contact converted by the
wizard, as an integrator and an administrator reach them."""

import uuid

import pytest
from conftest import new_vnd_pricelist


@pytest.fixture(scope="module")
def channel_code(admin):
    code = f"vn-{uuid.uuid4().hex[:6]}"
    pricelist = new_vnd_pricelist(admin, f"VND {code}")
    admin.env["omni.channel"].create(
        {"name": "Partner system (addresses)", "code": code, "channel_type": "api", "pricelist_id": pricelist}
    )
    if not admin.env["product.product"].search([("default_code", "=", "VN-ADDR-TEE")]):
        admin.env["product.product"].create(
            {"name": "Áo thun", "default_code": "VN-ADDR-TEE", "list_price": 1}
        )
    return code


def test_an_order_with_a_former_address_lands_in_the_2025_form(admin, integrator, channel_code):
    ref = f"VN-{uuid.uuid4().hex[:8]}"
    order = {
        "external_id": ref,
        "status": "unpaid",
        "updated_at": "2026-11-20T07:00:00Z",
        "currency": "VND",
        "customer": {"buyer_id": f"b-{ref}", "name": "Vũ Thị Lan"},
        "shipping_address": {
            "street": "3 Yersin",
            "ward": "P. Phú Cường",
            "district": "TP. Thủ Dầu Một",
            "province": "Tỉnh Bình Dương",
        },
        "lines": [{"sku": "VN-ADDR-TEE", "quantity": 1, "unit_price": 150000}],
        "payment_method": "cod",
    }
    (result,) = integrator.call("omni.channel", "api_ingest_orders", channel_code, [order])
    assert result["status"] == "created", result
    (sale,) = admin.env["sale.order"].read([result["sale_order_id"]], ["partner_id"])
    (buyer,) = admin.env["res.partner"].read(
        [sale["partner_id"][0]], ["omni_vn_ward_id", "state_id", "city", "street2", "omni_vn_old_address"]
    )
    assert buyer["omni_vn_ward_id"][1] == "Phường Thủ Dầu Một"
    assert buyer["state_id"][1].startswith("Hồ Chí Minh")
    assert (buyer["city"], buyer["street2"]) == ("Phường Thủ Dầu Một", False)
    assert buyer["omni_vn_old_address"] == "P. Phú Cường, TP. Thủ Dầu Một, Tỉnh Bình Dương"


def test_the_wizard_converts_a_contact_and_lists_what_it_cannot(admin):
    Partner = admin.env["res.partner"]
    vietnam = admin.env.ref("base.vn").id
    old_saigon = admin.env.ref("base.state_vn_VN-SG").id
    known, unknown = (
        Partner.create(
            {
                "name": f"{name} {uuid.uuid4().hex[:4]}",
                "street": "12 Lê Lợi",
                "street2": ward,
                "city": "Quận 1",
                "state_id": old_saigon,
                "country_id": vietnam,
            }
        )
        for name, ward in (("Nguyễn Văn An", "Phường Bến Nghé"), ("Trần Thị Bé", "Phường Không Có"))
    )
    Wizard = admin.env["omni.vn.address.convert"]
    wizard_id = Wizard.create({"scope": "selected", "partner_ids": [(6, 0, [known, unknown])]})
    Wizard.browse(wizard_id).action_convert()
    (wizard,) = Wizard.read([wizard_id], ["state", "todo_count", "converted_count", "failed_partner_ids"])
    assert (wizard["state"], wizard["todo_count"], wizard["converted_count"]) == ("done", 2, 1)
    assert wizard["failed_partner_ids"] == [unknown]
    (contact,) = Partner.read([known], ["omni_vn_ward_id", "city", "omni_vn_old_address"])
    assert (contact["omni_vn_ward_id"][1], contact["city"]) == ("Phường Sài Gòn", "Phường Sài Gòn")
    assert contact["omni_vn_old_address"] == "Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"
