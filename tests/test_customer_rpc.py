"""An integrator recognizes its buyers over XML-RPC and reads their profile."""

import uuid
import xmlrpc.client

import pytest


def _phone():
    """A Vietnamese mobile (Vinaphone 091) no other test run uses."""
    return "091" + str(uuid.uuid4().int)[-7:]


def test_resolve_twice_then_read_profile(integrator):
    phone = _phone()
    email = f"khach-{uuid.uuid4().hex[:8]}@example.vn"
    first = integrator.call(
        "res.partner", "api_resolve_customer", {"phone": phone, "email": email, "name": "Ngô Thị Hạnh"}
    )
    assert first["created"] is True, first
    assert first["matched_on"] is False
    assert first["ignored"] == []

    # The same buyer, the phone written the international way.
    second = integrator.call("res.partner", "api_resolve_customer", {"phone": "+84" + phone[1:]})
    assert (second["partner_id"], second["created"], second["matched_on"]) == (
        first["partner_id"],
        False,
        "phone",
    )

    profile = integrator.call("res.partner", "api_customer_profile", first["partner_id"])
    assert profile["partner_id"] == first["partner_id"]
    assert profile["name"] == "Ngô Thị Hạnh"
    assert profile["email"] == email
    assert {"kind": "phone", "value": "+84" + phone[1:], "channel": False} in profile["identities"]
    assert {"kind": "email", "value": email, "channel": False} in profile["identities"]
    assert profile["channels"] == []
    assert profile["metrics"]["order_count"] == 0
    assert "loyalty" in profile
    assert isinstance(profile["consents"], list)


def test_masked_phone_is_ignored(integrator):
    answers = [
        integrator.call("res.partner", "api_resolve_customer", {"phone": "84*****123", "name": name})
        for name in ("Người mua A", "Người mua B")
    ]
    for answer in answers:
        assert answer["created"] is True
        assert answer["ignored"] == [{"kind": "phone", "value": "84*****123", "reason": "masked"}]
    assert answers[0]["partner_id"] != answers[1]["partner_id"], "a masked phone joins nobody"


def test_bad_input_is_a_clear_fault(integrator):
    with pytest.raises(xmlrpc.client.Fault, match="partner_id must be"):
        integrator.call("res.partner", "api_customer_profile", "42")
    with pytest.raises(xmlrpc.client.Fault, match="buyer_id needs the channel_code"):
        integrator.call("res.partner", "api_resolve_customer", {"buyer_id": "b-1"})
