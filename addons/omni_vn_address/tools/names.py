"""One key per Vietnamese place name, however a marketplace or a person wrote it.

"Phường Bến Nghé", "P. Ben Nghe", "p.bến  nghé" and "Ben Nghe Ward" give ``bennghe``; "Quận 1", "Q.1",
"Q1" and "District 01" give ``1``; "TP.HCM", "Thành phố Hồ Chí Minh" and "Ho Chi Minh City" give
``hochiminh``.
"""

import re
import unicodedata

# Administrative prefixes (and their abbreviations), in Vietnamese and English, without accents:
# longest first so that "thi xa" wins over "thi".
PREFIXES = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "district",
    "commune",
    "province",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "city",
    "town",
    "ward",
    "tp",
    "tx",
    "tt",
    "xa",
)
# Single letters are abbreviations only before a dot, a space or a number ("Q.1", "P 5", "Q1").
LETTERS = ("q", "p", "h", "x", "f")
SUFFIXES = (" city", " province", " district", " ward", " commune", " town")
ALIASES = {
    "hcm": "hochiminh",
    "hcmc": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "hn": "hanoi",
}
_PREFIX = re.compile(r"^(?:(?:{})\b|(?:{})(?=[\s\d]))\s*".format("|".join(PREFIXES), "|".join(LETTERS)))
_DISTRICT = re.compile(r"^(?:(?:quan|huyen|thi xa|thanh pho|tp|tx|district)\b|(?:q|h)(?=[\s\d]))")
_NUMBER = re.compile(r"\b0+(\d)")


def plain(text):
    """Lower case, without accents, words separated by one space."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def is_district_name(text):
    """Whether a name is written as a former district's ("Quận 1", "Huyện Củ Chi", "TP. Thủ Dầu Một")."""
    return bool(_DISTRICT.match(plain(text)))


def name_key(text):
    """The comparison key of a province, district or ward name (empty for an empty name)."""
    return _key(_strip(plain(text)))


def name_keys(text):
    """The keys an official name answers to: "Xã Xà Phiên" is also written "Xà Phiên" (``phien``)."""
    text = _strip(plain(text))
    return {_key(text), _key(_strip(text))}


def _strip(text):
    for suffix in SUFFIXES:
        if text.endswith(suffix) and text != suffix.strip():
            text = text[: -len(suffix)]
            break
    return _PREFIX.sub("", text, count=1) or text


def _key(text):
    text = _NUMBER.sub(r"\1", text).replace(" ", "")
    return ALIASES.get(text, text)
