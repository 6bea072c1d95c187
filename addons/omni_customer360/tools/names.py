"""Comparing people's names the way Vietnamese customers type them: with or without accents."""

import re
import unicodedata
from difflib import SequenceMatcher

SIMILAR_RATIO = 0.85


def name_key(name):
    """Lower-case words of a name without accents: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    text = unicodedata.normalize("NFKD", (name or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.findall(r"\w+", text))


def similar_names(name_a, name_b):
    """Same words in any order, one name inside the other, or nearly the same spelling."""
    key_a, key_b = name_key(name_a), name_key(name_b)
    if not key_a or not key_b:
        return False
    words_a, words_b = set(key_a.split()), set(key_b.split())
    if words_a == words_b:
        return True
    if min(len(words_a), len(words_b)) >= 2 and (words_a <= words_b or words_b <= words_a):
        return True
    return (
        SequenceMatcher(None, " ".join(sorted(words_a)), " ".join(sorted(words_b))).ratio() >= SIMILAR_RATIO
    )
