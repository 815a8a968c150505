"""The words articles are compared and labelled by: their content words, without the function words and the
vocabulary of news reporting itself ("said", "told", "reported"), which every article shares whatever its story.

Stories and events themselves are found by `rashomon.corpus.events` (MiniLM embeddings, content words, actors,
numbers and dates); this module is its vocabulary.
"""

from __future__ import annotations

import re

from rashomon.names import fold

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Function words and the vocabulary of news reporting itself ("said", "told", "reported"), which every article
# shares whatever its story. English, the language of most corpora so far; other languages still cluster
# through their content words, at a lower threshold of evidence.
_STOPWORD_LIST = """
    a about above according after again against all almost also although always am among an and another any
    are around as at be became because become been before being below between both but by can could did do
    does doing done down during each either else even ever every few for from further get gets got had has
    have having he her here hers herself him himself his how however i if in into is it its itself just last
    least less like made make many may me might more most much must my myself near need never new next no nor
    not now of off often on once one only or other others our ours ourselves out over own per perhaps put
    rather really said same say saying says see seen several shall she should since so some still such than
    that the their theirs them themselves then there these they this those though three through thus to too
    told two under until up upon us very via was we well were what whatever when where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves year years
    today yesterday tomorrow week weeks day days time times mr mrs ms dr tell tells asked added reported
    reports including include includes don didn doesn isn wasn weren wouldn couldn shouldn amid
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def content_words(text: str) -> list[str]:
    """The folded content words of ``text``: lowercased, unaccented, no stopwords, no 1-2 letter words."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in STOPWORDS]
