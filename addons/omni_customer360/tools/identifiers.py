"""Normalizing the identifiers a buyer leaves on a channel, so the same person gives the same key.

Vietnamese phones follow DESIGN §8: the 11-digit mobiles of before 2018 are remapped to their
10-digit numbers, "84" is read as the country code or as a mobile prefix by digit count, and a
masked value (``84*****123``) is never a key: it identifies nobody.
"""

import re
import unicodedata

import phonenumbers

# 2018 renumbering of 11-digit mobiles: old prefix (after the 0) -> new prefix.
LEGACY_MOBILE_PREFIXES = {
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36", "167": "37", "168": "38", "169": "39",
    "120": "70", "121": "79", "122": "77", "126": "76", "128": "78",
    "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",
    "186": "56", "188": "58",
    "199": "59",
}  # fmt: skip
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_masked(value):
    return "*" in (value or "")


def normalize_phone(value, region="VN"):
    """E.164 of a phone number, or None for a masked, empty or invalid one."""
    if not value or is_masked(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    digits = re.sub(r"\D", "", text)
    if region == "VN" and digits:
        national = _vietnamese_national(digits, international=text.startswith(("+", "00")))
        text = "0" + national if national else "+" + digits.removeprefix("00")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _vietnamese_national(digits, international):
    """The national significant number (without 0) of Vietnamese digits, decided by their count."""
    if digits.startswith("0084"):
        digits, international = digits[2:], True
    if international or (digits.startswith("84") and len(digits) in (11, 12)):
        if not digits.startswith("84"):
            return None  # another country's number, read as it is
        digits = digits[2:]
        digits = digits[1:] if digits.startswith("0") else digits
    elif digits.startswith("0"):
        digits = digits[1:]
    # 9 digits: a national number without its 0 (84 is then a mobile prefix, not the country).
    if len(digits) == 10 and digits[:3] in LEGACY_MOBILE_PREFIXES:
        digits = LEGACY_MOBILE_PREFIXES[digits[:3]] + digits[3:]
    return digits


def normalize_email(value):
    if not value or is_masked(value):
        return None
    email = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return email if EMAIL.match(email) else None


def normalize_text(value):
    """Channel buyer ids and other opaque ids: trimmed, compared as they are."""
    text = str(value).strip() if value not in (None, "") else ""
    return text if text and not is_masked(text) else None


NORMALIZERS = {
    "buyer_id": normalize_text,
    "phone": normalize_phone,
    "email": normalize_email,
    "zalo": normalize_text,
}


def normalize(kind, value):
    return NORMALIZERS[kind](value)
