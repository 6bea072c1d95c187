"""Every published signing vector (official where the platform gives one) against our signers and
webhook verifiers."""

from odoo.tests import BaseCase, tagged

from ..connectors.lazada.signing import sign_lazada
from ..connectors.registry import verify
from ..connectors.shopee.signing import sign_shopee
from ..connectors.shopify.signing import sign_shopify_oauth
from ..connectors.tiktok.signing import sign_tiktok

SHOPEE_PUSH_BODY = (
    b'{"data":{"items":[],"ordersn":"220810QSK8S7BX","status":"PROCESSED","completed_scenario":"",'
    b'"update_time":1660123127},"shop_id":727720655,"code":3,"timestamp":1660123127}'
)
LAZADA_PUSH_BODY = (
    b'{"seller_id":"1234567","message_type":0,"data":{"order_status":"unpaid","trade_order_id":"260422900198363",'
    b'"trade_order_line_id":"260422900298363","status_update_time":1603698638},"timestamp":1603766859530,'
    b'"site":"lazada_vn"}'
)
TIKTOK_WEBHOOK_BODY = (
    b'{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621",'
    b'"timestamp":1644412885,"data":{"order_id":"576461413038785752","order_status":"AWAITING_SHIPMENT",'
    b'"is_on_hold_order":false,"update_time":1644412882}}'
)


@tagged("post_install", "-at_install")
class TestRequestSigning(BaseCase):
    def test_shopee(self):
        key = "test_partner_key_0123456789"
        self.assertEqual(
            sign_shopee(
                key,
                2001887,
                "/api/v2/shop/get_shop_info",
                1655714431,
                "59777174636562737266615546704c6d",
                14701711,
            ),
            "5e3c2fff35d88b5f48ba22b63294d1989b8cfdab6d092878cef069ec04fef080",
        )
        self.assertEqual(
            sign_shopee(key, 2001887, "/api/v2/auth/token/get", 1655714431),
            "a952b36fc423bad0c89a897004d3784ef83886eb8dc2ea63299924e9166280ea",
        )

    def test_lazada_official_example(self):
        params = {
            "app_key": "123456",
            "access_token": "test",
            "timestamp": "1517820392000",
            "sign_method": "sha256",
            "order_id": "1234",
        }
        self.assertEqual(
            sign_lazada("helloworld", "/order/get", params),
            "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A",
        )

    def test_tiktok(self):
        secret = "e59af819cc"
        shop = {
            "app_key": "68xu9ks5p4i8",
            "shop_cipher": "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK",
            "timestamp": "1696909648",
        }
        cases = [
            (
                "/authorization/202309/shops",
                {"app_key": "29a39d", "timestamp": "1623812664"},
                "",
                "b596b73e0cc6",
            ),
            ("/event/202309/webhooks", dict(shop, access_token="ignored"), "", "ed58e1b5e598"),
            (
                "/event/202309/webhooks",
                shop,
                '{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}',
                "cd0d6268252f",
            ),
        ]
        expected = {
            "b596b73e0cc6": "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
            "ed58e1b5e598": "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37",
            "cd0d6268252f": "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
        }
        for path, query, body, prefix in cases:
            self.assertEqual(sign_tiktok(secret, path, query, body), expected[prefix])

    def test_shopify_oauth(self):
        query = {
            "code": "0907a61c0c8d55e99db179b68161bc00",
            "shop": "some-shop.myshopify.com",
            "timestamp": "1337178173",
        }
        self.assertEqual(
            sign_shopify_oauth("hush", dict(query, hmac="x")),
            "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20",
        )
        self.assertEqual(
            sign_shopify_oauth("hush", dict(query, state="0.6784241404160823")),
            "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf",
        )


@tagged("post_install", "-at_install")
class TestWebhookVerification(BaseCase):
    CASES = [
        (
            "shopee",
            {"secret": "test_partner_key_0123456789", "callback_url": "https://example.com/shopee/push"},
            SHOPEE_PUSH_BODY,
            "Authorization",
            "a2e7eadd5654f89a45634f6583d18d5cc50ba4b1350118c356061c364e55e614",
        ),
        (
            "lazada",
            {"secret": "helloworld", "app_key": "123456"},
            LAZADA_PUSH_BODY,
            "Authorization",
            "b0cfd0349e915667babf3c35e2335fb09653527421c46a94bd9e70e874c16322",
        ),
        (
            "tiktok",
            {"secret": "e59af819cc", "app_key": "29a39d"},
            TIKTOK_WEBHOOK_BODY,
            "Authorization",
            "a08d1357c442d04297cea987df7c4683c5b54107218317f21eaa816ba76f5d54",
        ),
        (
            "shopify",
            {"secret": "my_secret"},
            b'{"id":820982911946154508,"email":"jon@example.com"}',
            "X-Shopify-Hmac-Sha256",
            "adTq3+apLhV7HQucayxebxjBL1o989vysZTVb1Mdoe0=",
        ),
        (
            "woocommerce",
            {"secret": "cs_secret"},
            b'{"id":727,"status":"processing"}',
            "X-WC-Webhook-Signature",
            "k6UlKuQ7OuGnmGY6ycR/bSDV1HKk7iJnPKbMaJoRUas=",
        ),
    ]

    def test_vectors_verify(self):
        for channel_type, credentials, body, header, signature in self.CASES:
            with self.subTest(channel_type):
                self.assertTrue(verify(channel_type, credentials, body, {header: signature}))

    def test_altered_body_wrong_secret_or_missing_header_fail(self):
        for channel_type, credentials, body, header, signature in self.CASES:
            with self.subTest(channel_type):
                self.assertFalse(verify(channel_type, credentials, body + b" ", {header: signature}))
                wrong = dict(credentials, secret="not-the-secret")
                self.assertFalse(verify(channel_type, wrong, body, {header: signature}))
                self.assertFalse(verify(channel_type, credentials, body, {}))

    def test_hex_case_does_not_matter_where_platforms_differ(self):
        channel_type, credentials, body, header, signature = self.CASES[1]
        self.assertTrue(verify(channel_type, credentials, body, {header: signature.upper()}))

    def test_tiki_and_unknown_types_take_no_webhooks(self):
        self.assertFalse(verify("tiki", {"secret": "x"}, b"{}", {}))
        self.assertFalse(verify("pos", {"secret": "x"}, b"{}", {}))
