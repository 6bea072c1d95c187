"""One key per Vietnamese place name, however a marketplace or a person wrote it.

"Phường Bến Nghé", "P. Ben Nghe", "p.bến  nghé" and "Ben Nghe Ward" give ``bennghe``; "Quận 1", "Q.1",
"Q1" and "District 01" give ``1``; "TP.HCM", "Thành phố Hồ Chí Minh" and "Ho Chi Minh City" give
``hochiminh``. Names that differ only by their accents ("Minh Quán", "Minh Quân") or their kind
("Thị trấn Mường Tè", "Xã Mường Tè") share a key: ``name_parts`` also gives the kind and a key that
keeps the tones, to tell them apart when the name was written with them.
"""

import re
import unicodedata

# Administrative prefixes (and their abbreviations), in Vietnamese and English, without accents,
# with the kind of unit they name ("" for a district or a province).
PREFIXES = {
    ("thanh", "pho"): "",
    ("thi", "tran"): "town",
    ("thi", "xa"): "",
    ("dac", "khu"): "special_zone",
    ("district",): "",
    ("commune",): "commune",
    ("province",): "",
    ("phuong",): "ward",
    ("huyen",): "",
    ("quan",): "",
    ("tinh",): "",
    ("city",): "",
    ("town",): "town",
    ("ward",): "ward",
    ("tp",): "",
    ("tx",): "",
    ("tt",): "town",
    ("xa",): "commune",
    ("q",): "",
    ("h",): "",
    ("p",): "ward",
    ("f",): "ward",
    ("x",): "commune",
}
SUFFIXES = {"city": "", "province": "", "district": "", "ward": "ward", "commune": "commune", "town": "town"}
DISTRICT_PREFIXES = {("quan",), ("huyen",), ("thi", "xa"), ("thanh", "pho"), ("tp",), ("tx",), ("district",)}
ALIASES = {
    "hcm": "hochiminh",
    "hcmc": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "hn": "hanoi",
}
# Tone marks, the only accents the toned key keeps: "Hoà" and "Hòa" (the mark on another vowel) agree.
TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_GLUED = re.compile(r"^([qphxf])(\d+)$")
# The prefixes by their first word, for a quick look-up.
_PREFIXES_BY_FIRST = {}
for _prefix, _kind in PREFIXES.items():
    _PREFIXES_BY_FIRST.setdefault(_prefix[0], []).append((_prefix, _kind))


def name_key(text):
    """The comparison key of a province, district or ward name (empty for an empty name)."""
    return name_parts(text)[0]


def name_keys(text):
    """The keys an official name answers to: "Xã Xà Phiên" is also written "Xà Phiên" (``phien``)."""
    words, toned, _kind = _strip(*_words(text))
    again, _toned, _kind = _strip(words, toned)
    return {_key(words), _key(again)}


def name_parts(text):
    """``(key, kind, toned key)`` of a name: kind is ``ward``, ``commune``, ``town``, ``special_zone``
    or "" when the name says none; the toned key is "" for a name written without accents (whose
    tones are unknown, not absent)."""
    words, toned, kind = _strip(*_words(text))
    return _key(words), kind, "" if (text or "").isascii() else _key(toned)


def is_district_name(text):
    """Whether a name is written as a former district's ("Quận 1", "Huyện Củ Chi", "TP. Thủ Dầu Một")."""
    words, _toned = _words(text)
    return any(tuple(words[: len(prefix)]) == prefix for prefix in DISTRICT_PREFIXES) or (
        len(words) > 1 and words[0] in ("q", "h")
    )


def _words(text):
    """The words of a name, without accents and with their tones (``thanh``, ``thanh2``)."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    words, toned = [], []
    for word in re.findall(r"[a-z0-9\u0300-\u036f]+", text):
        letters = "".join(char for char in word if not unicodedata.combining(char))
        if not letters:
            continue
        glued = _GLUED.match(letters)
        if glued:  # "Q1", "P12", "F5"
            words += [glued[1], glued[2]]
            toned += [glued[1], glued[2]]
            continue
        words.append(letters)
        toned.append(letters + "".join(sorted(TONES[char] for char in word if char in TONES)))
    return words, toned


def _strip(words, toned):
    """The words without their administrative prefix or suffix, and the kind it named."""
    kind = ""
    if len(words) > 1 and words[-1] in SUFFIXES:
        kind = SUFFIXES[words[-1]]
        words, toned = words[:-1], toned[:-1]
    for prefix, prefix_kind in _PREFIXES_BY_FIRST.get(words[0] if words else "", ()):
        if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
            return words[len(prefix) :], toned[len(prefix) :], prefix_kind or kind
    return words, toned, kind


def _key(words):
    key = "".join(word.lstrip("0") or "0" if word.isdigit() else word for word in words)
    return ALIASES.get(key, key)
