"""Normalising the names of people and organisations: comparable forms, stable keys, honorifics.

One place decides when two written names are the same name ("Guaidó" and "Guaido", "Mr Corbyn" and
"Corbyn"), so entity ids agree between articles and between the per-article and corpus-level stages.
"""

from __future__ import annotations

import re
import unicodedata

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "mx"})

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, strip accents and the possessive, and unify apostrophes: a form for comparing names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("′", "'")
    text = re.sub(r"'s\b", "", text)
    return text.lower().strip()


def name_tokens(name: str) -> tuple[str, ...]:
    """The folded words of a name, honorifics dropped: "Mr Nicolás Maduro" -> ("nicolas", "maduro")."""
    words = [w for w in _NON_WORD.split(fold(name)) if w]
    return tuple(w for w in words if w not in HONORIFICS)


# Abbreviations and short names that news text uses interchangeably with one full name, whatever the article:
# each gets the full name's key, so "U.S." and "the United States" are one entity and one actor. Only names
# with a single common meaning in news belong here; a user's own merges go in an alias file (issue 5).
_SAME_AS: dict[tuple[str, ...], tuple[str, ...]] = {
    **dict.fromkeys([("u", "s"), ("us",), ("usa",), ("u", "s", "a")], ("united", "states")),
    **dict.fromkeys([("u", "k"), ("uk",), ("britain",), ("great", "britain")], ("united", "kingdom")),
    **dict.fromkeys([("u", "n"), ("un",)], ("united", "nations")),
    **dict.fromkeys([("eu",), ("e", "u")], ("european", "union")),
}


def entity_key(name: str) -> str:
    """A stable id for a name: the same name gives the same key in every article ("juan-guaido"); a well-known
    abbreviation gets its full name's ("U.S." -> "united-states")."""
    tokens = name_tokens(name)
    tokens = _SAME_AS.get(tokens, tokens)
    return "-".join(tokens) or _NON_WORD.sub("-", fold(name)).strip("-") or "unnamed"


def strip_honorific(name: str) -> str:
    """ "Mr Corbyn" -> "Corbyn"; names without an honorific are returned unchanged."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").lower() in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def is_short_form(short: str, full: str) -> bool:
    """Whether ``short`` names the same one as ``full`` by a shorter form: its surname or trailing words.

    "Corbyn" and "Mr Corbyn" are short forms of "Jeremy Corbyn"; "Lopez" of "Vladimir Padrino Lopez"; "Jones"
    is not a short form of "Graham Jones Smith" (only trailing words count).
    """
    s, f = name_tokens(short), name_tokens(full)
    return 0 < len(s) < len(f) and f[-len(s) :] == s


# Words that open a label without describing anyone: "a Venezuelan opposition politician" is compared as
# "venezuelan opposition politician".
_LABEL_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those"})
_QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def label_normal(text: str, head_lemma: str | None = None) -> str:
    """The comparable form of a label: lowercase, quote marks and leading determiners dropped, and the head
    (last) word replaced by its lemma when one is given ("the 'interim presidents'" -> "interim president")."""
    words = [w.strip(_QUOTE_MARKS) for w in text.split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower() in _LABEL_DETERMINERS:
        words.pop(0)
    if head_lemma and words:
        words[-1] = head_lemma
    return " ".join(w.lower() for w in words)
