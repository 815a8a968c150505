"""Scoring the corpus's actors (mentions grouped into one identity across articles) against cross-document
coreference gold, as pure functions.

Reads the gold (`read_actor_gold`: ECB+ ``entity_mentions.jsonl`` with its ``docs.jsonl`` beside it, or
NewsWCL50's ``NewsWCL50.conll``), aligns predicted mentions to gold mentions (`align`) and scores the clustering
(`score_actors`) with the standard metrics (`muc`, `b_cubed`, `ceaf_e`). Kept free of spaCy and the pipeline, so
the arithmetic is tested on hand-made clusterings. The definitions (docs/models.md, "Actor grouping"):

- Gold actors. Only actor-like mentions count. ECB+: persons, organisations, countries and other political
  entities, organisations named by metonymy ("CNN"), geographic places and facilities (``HUMAN_PART_PER``,
  ``_ORG``, ``_GPE``, ``_MET``, ``LOC_GEO``, ``LOC_FAC``); not generic people ("you", "everybody"), vehicles,
  body parts and other locations, objects, times or actions. A gold actor is an ECB+ coreference chain.
  NewsWCL50: concepts of type ACTOR, COUNTRY (which the codebook extends to a state's institutions and
  officials: "the White House" is USA) and GROUP; not ACTOR-I, which lumps different minor individuals of a group
  under one code, nor events, actions, objects or misc. A gold actor is the codebook's concept (``USA\\Trump``):
  the CoNLL chain id without its event prefix, so Trump in all ten events is one actor, as in the product (the
  four people the annotators named differently in different events are joined, see `_NEWSWCL_ALIASES`). A
  span the gold gives several actors ("the two Koreas", "our two nations") is left out: no grouping can hold it.
- Predicted mentions: every mention of every entity of the analysed documents (all types), labelled with the
  corpus-wide actor the corpus step links the entity to. ECB+ annotates only some sentences of each document
  (1.7 on average), so there a predicted mention counts only inside a sentence (as the pipeline splits them)
  that holds a gold mention of any type.
- Alignment. A predicted and a gold mention of the same document can pair when the predicted span overlaps the
  gold mention's head word. ECB+ names the head; NewsWCL50 does not, and there (as for the ECB+ heads that are
  function words: the file's heads come from an automatic parse, which heads "in Los Angeles" with "in") the head
  is the last word of the mention's first noun phrase, which ends before a preposition or comma (`phrase_head`:
  "President Trump" → Trump, "the director of the C.I.A." → director). Pairs are taken one to one, greedily,
  largest character Dice coefficient first (then text order).
- Mention detection: precision = aligned / predicted mentions, recall = aligned / gold mentions. Both corpora
  annotate only some entities (ECB+ those taking part in the annotated events; NewsWCL50 frequent concepts,
  never pronouns), so precision here is a lower bound.
- Clusters, over the whole file (clusters cross documents, as the product's actors do): the key is every gold
  mention, grouped by gold actor; the response is the aligned mentions (each standing for its gold partner),
  grouped by the predicted corpus actor. So a gold mention without a partner is a mention the response misses
  (it lowers recall, as in the CoNLL-2012 reference scorer), and a predicted mention without a partner is left
  out of the cluster scores (it may name an entity the gold does not annotate) and counts only against mention
  precision. No twinless-mention rule (Cai & Strube 2010) is needed: every response mention is a key mention.
- MUC (Vilain et al. 1995; a mention the response lacks is a partition of its own), B-cubed (Bagga & Baldwin
  1998, as the reference scorer extends it to missing mentions), CEAF-e (Luo 2005: entity similarity
  2|K∩R|/(|K|+|R|), optimal one-to-one entity alignment), each with precision, recall and F1; CoNLL-F1 is the
  mean of the three F1s. Two baselines on the same aligned mentions bound what the grouping adds: every
  mention its own actor (no grouping), and the actors cut at document borders (grouping within articles only).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rashomon.evaluate.clusters import ClusterScore, M, b_cubed, ceaf_e, muc
from rashomon.evaluate.scoring import precision_recall_f1
from rashomon.nlp.segment import paragraph_spans, sentence_spans

CharSpan = tuple[int, int]  # half-open character range [start, end) into the document text


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One gold mention of an actor: where it stands, its head word, and the gold actor it refers to."""

    span: CharSpan
    head: CharSpan
    actor: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One document of the gold corpus: the text to analyse and its gold actor mentions."""

    id: str
    topic: str
    text: str
    mentions: tuple[GoldMention, ...]
    # Where the gold annotates anything (spans of its mentions of every type), or None if the whole text is
    # annotated. ECB+ annotates only some sentences: predicted mentions elsewhere can be neither right nor wrong.
    annotated: tuple[CharSpan, ...] | None = None
    unplaced: int = 0  # gold actor mentions whose words could not be found in the text (see `_place`)


@dataclass(frozen=True, slots=True)
class PredictedMention:
    span: CharSpan
    actor: str  # the corpus-wide actor id


# ---------------------------------------------------------------------------------------------------- alignment


def _overlaps(a: CharSpan, b: CharSpan) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def align(gold: Sequence[GoldMention], predicted: Sequence[PredictedMention]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs of one document: a predicted span that overlaps a gold mention's head
    pairs with it; one to one, greedily, largest character Dice coefficient first, then text order."""
    candidates = []
    for g, gm in enumerate(gold):
        for p, pm in enumerate(predicted):
            if _overlaps(pm.span, gm.head):
                shared = min(gm.span[1], pm.span[1]) - max(gm.span[0], pm.span[0])
                dice = 2 * max(shared, 0) / (gm.span[1] - gm.span[0] + pm.span[1] - pm.span[0])
                candidates.append((-dice, gm.span[0], pm.span[0], g, p))
    pairs = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for *_, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def in_annotated_sentences(
    document: GoldDocument, predicted: Sequence[PredictedMention], sentences: Sequence[CharSpan]
) -> tuple[PredictedMention, ...]:
    """The predicted mentions the gold can judge: all of them if the whole document is annotated, else those in a
    sentence (``sentences``: the pipeline's) that holds an annotated span."""
    if document.annotated is None:
        return tuple(predicted)
    judged = [s for s in sentences if any(_overlaps(s, a) for a in document.annotated)]
    return tuple(p for p in predicted if any(s[0] <= p.span[0] < s[1] for s in judged))


# ---------------------------------------------------------------------------------------------------- scores


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """MUC, B-cubed and CEAF-e of one response against the key."""

    muc: ClusterScore
    b_cubed: ClusterScore
    ceaf_e: ClusterScore

    @classmethod
    def of(cls, key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> ClusterScores:
        return cls(muc(key, response), b_cubed(key, response), ceaf_e(key, response))

    @property
    def conll_f1(self) -> float:
        return (self.muc.f1 + self.b_cubed.f1 + self.ceaf_e.f1) / 3


@dataclass(frozen=True, slots=True)
class ActorScores:
    clusters: ClusterScores  # the actors, over the whole file
    no_grouping: ClusterScores  # the same mentions, each its own actor: the floor
    per_document: ClusterScores  # the actors cut at document borders: what grouping within an article reaches
    gold_mentions: int
    predicted_mentions: int
    aligned_mentions: int
    unplaced_gold_mentions: int
    gold_actors: int
    predicted_actors: int  # distinct actors among the aligned predicted mentions
    documents: int

    @property
    def conll_f1(self) -> float:
        return self.clusters.conll_f1

    def as_json(self) -> dict[str, object]:
        precision, recall, f1 = precision_recall_f1(
            self.aligned_mentions,
            self.predicted_mentions - self.aligned_mentions,
            self.gold_mentions - self.aligned_mentions,
        )
        return {
            "muc": self.clusters.muc.as_json(),
            "b_cubed": self.clusters.b_cubed.as_json(),
            "ceaf_e": self.clusters.ceaf_e.as_json(),
            "conll_f1": round(self.conll_f1, 4),
            "baselines": {
                "no_grouping_conll_f1": round(self.no_grouping.conll_f1, 4),
                "per_document_conll_f1": round(self.per_document.conll_f1, 4),
            },
            "mentions": {
                "gold": self.gold_mentions,
                "predicted": self.predicted_mentions,
                "aligned": self.aligned_mentions,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "gold_unplaced": self.unplaced_gold_mentions,
            },
            "gold_actors": self.gold_actors,
            "predicted_actors": self.predicted_actors,
            "documents": self.documents,
            "note": NOTE,
        }


NOTE = (
    "Actor-like gold mentions only. A predicted mention pairs with a gold mention whose head word it overlaps, one "
    "to one, best character overlap first. Clusters over the whole file: the key is every gold mention by gold "
    "actor; the response is the paired mentions by predicted corpus actor, so an unpaired gold mention counts as "
    "missing (recall) and an unpaired predicted mention is left out of the cluster scores, counting only against "
    "mention precision (a lower bound: the gold annotates some entities only, ECB+ some sentences only). "
    "CoNLL-F1 = mean of the MUC, B-cubed and CEAF-e F1. Baselines on the same paired mentions: no_grouping = each "
    "mention its own actor; per_document = the actors cut at document borders."
)


def score_actors(documents: Iterable[tuple[GoldDocument, Sequence[PredictedMention]]]) -> ActorScores:
    """Mention and cluster scores over (gold document, predicted mentions) pairs; see the module docstring."""
    key: dict[str, list[tuple[int, int]]] = defaultdict(list)  # gold actor -> (document, gold mention)
    response: dict[str, list[tuple[int, int]]] = defaultdict(list)  # predicted actor -> its paired gold mentions
    per_document: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    predicted_count = aligned = unplaced = count = 0
    for d, (document, predicted) in enumerate(documents):
        count += 1
        unplaced += document.unplaced
        predicted_count += len(predicted)
        for g, mention in enumerate(document.mentions):
            key[mention.actor].append((d, g))
        for g, p in align(document.mentions, predicted):
            aligned += 1
            response[predicted[p].actor].append((d, g))
            per_document[(d, predicted[p].actor)].append((d, g))
    key_clusters = list(key.values())
    response_clusters = list(response.values())
    return ActorScores(
        clusters=ClusterScores.of(key_clusters, response_clusters),
        no_grouping=ClusterScores.of(key_clusters, [[m] for cluster in response_clusters for m in cluster]),
        per_document=ClusterScores.of(key_clusters, list(per_document.values())),
        gold_mentions=sum(len(c) for c in key_clusters),
        predicted_mentions=predicted_count,
        aligned_mentions=aligned,
        unplaced_gold_mentions=unplaced,
        gold_actors=len(key_clusters),
        predicted_actors=len(response_clusters),
        documents=count,
    )


# ---------------------------------------------------------------------------------------------------- text


# Tokens written without a space before them, or after them, when a text is rebuilt from its tokens.
_ATTACH_LEFT = frozenset(", . : ; ! ? % ) ] } ... 's 'S ’s n't N'T 're 've 'll 'd 'm ''".split())
_ATTACH_RIGHT = frozenset(["(", "[", "{", "$", "``"])


def detokenize(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[CharSpan]]]:
    """A readable text from tokenized sentences, and each token's character span in it.

    Written as a newspaper prints it, so the pipeline reads natural text: sentences follow each other on a line
    until a line-break token (a token of whitespace holding a newline, or the CoNLL files' literal ``\\n``) ends
    the paragraph; no space before closing punctuation and clitics ("Trump 's" → "Trump's") nor after opening
    brackets; a hyphen between two words of a sentence joins them ("Kim Jong - un" → "Kim Jong-un"); straight
    double quotes alternate between opening and closing within a paragraph; the Penn Treebank quote tokens (two
    backticks, two apostrophes) become straight double quotes. Whitespace tokens get empty spans.
    """
    parts: list[str] = []
    spans: list[list[CharSpan]] = []
    length = 0
    newline = False  # a paragraph ended: the next word starts a line
    glue = True  # no space before the next word
    quote_open = False
    for sentence in sentences:
        row: list[CharSpan] = []
        words = [token.replace("\\n", "\n") for token in sentence]
        for i, token in enumerate(words):
            word = token.strip()
            if not word:
                newline = newline or "\n" in token
                row.append((length, length))
                continue
            if newline:
                quote_open = False  # a quote left open at a paragraph's end is reopened in the next
            is_quote = word in ('"', "``", "''")
            opening = word == "``" or (word == '"' and not quote_open)
            following = next((w.strip() for w in words[i + 1 :] if w.strip()), "")
            joins = word == "-" and i > 0 and bool(parts) and parts[-1][-1:].isalnum() and following[:1].isalnum()
            if length and newline:
                parts.append("\n")
                length += 1
            elif length and not (glue or joins or word in _ATTACH_LEFT or (is_quote and not opening)):
                parts.append(" ")
                length += 1
            shown = '"' if is_quote else word
            parts.append(shown)
            row.append((length, length + len(shown)))
            length += len(shown)
            if is_quote:
                quote_open = opening
            newline = False
            glue = word in _ATTACH_RIGHT or (is_quote and opening) or joins
        spans.append(row)
        glue = False
    return "".join(parts), spans


# ---------------------------------------------------------------------------------------------------- reading

# Prepositions: where a mention's first noun phrase ends ("the director of ..."), or before it ("in Los Angeles").
_PREPOSITIONS = frozenset(
    """about above across after against along among around at before behind below beneath beside between beyond
    by despite down during for from in inside into near of off on onto outside over past since through
    throughout to toward towards under until upon with within without""".split()
)
# Parts of speech that cannot head a mention of an actor (ECB+'s heads come from an automatic parse).
_FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PART", "PUNCT"})


def phrase_head(words: Sequence[str]) -> int:
    """The index of a mention's head word, for mentions whose file names none: the last word of its first noun
    phrase, which ends before a preposition or a comma ("the director of the C.I.A." → "director", "in Los Angeles"
    → "Angeles", "President Trump" → "Trump"). English noun phrases end with their head before any modifier."""
    start = 0
    while start < len(words) - 1 and words[start].lower() in _PREPOSITIONS:
        start += 1
    end = next((i for i in range(start + 1, len(words)) if words[i] == "," or words[i].lower() in _PREPOSITIONS), None)
    found = [i for i in range(start, end or len(words)) if re.search(r"\w", words[i])]
    return found[-1] if found else (end or len(words)) - 1


def read_actor_gold(path: Path) -> list[GoldDocument]:
    """The gold documents of an ECB+ ``entity_mentions.jsonl`` (documents read from ``docs.jsonl`` beside it) or
    a NewsWCL50-style CoNLL file, told apart by their first line. Raises `ValueError` naming the file otherwise."""
    first = next((line for _, line in _lines(path) if line.strip()), "")
    if first.startswith("#begin document"):
        return read_newswcl50(path)
    if first.lstrip().startswith("{"):
        try:
            record = json.loads(first)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict) and record.keys() >= _ECB_FIELDS:
            return read_ecbplus(path)
    what = "is empty" if not first else "is neither ECB+ entity mentions (JSON lines) nor a NewsWCL50 CoNLL file"
    raise ValueError(f"{path}: {what}")


# ---- NewsWCL50

_NEWSWCL_ACTOR_TYPES = ("ACTOR", "COUNTRY", "GROUP")
# The codebook names a concept by its place in each event's concept tree, so four people carry another name in
# some events than in others. One person is one actor, in the gold as in the product.
_NEWSWCL_ALIASES = {
    "CHN_Jinping_ACTOR": "CHN_Xi_ACTOR",
    "KOR_Moon_Jae_ACTOR": "KOR_Moon_ACTOR",
    "PRK_Jong_Un_ACTOR": "PRK_Kim_ACTOR",
    "USA_Republicans_Trump_ACTOR": "USA_Trump_ACTOR",
}
_BEGIN = re.compile(r"#begin document \(?([^);]+)\)?")


def newswcl50_actor(chain: str) -> str | None:
    """The gold actor of a NewsWCL50 chain id ("0_USA_Trump_ACTOR" → "USA_Trump_ACTOR"), None if not an actor."""
    if chain.rpartition("_")[2] not in _NEWSWCL_ACTOR_TYPES:
        return None
    concept = re.sub(r"^\d+_", "", chain)
    return _NEWSWCL_ALIASES.get(concept, concept)


def read_newswcl50(path: Path) -> list[GoldDocument]:
    """Documents of a CoNLL coreference file as the CDCR datasets write it (NewsWCL50): ``#begin document`` lines,
    then ``doc  sentence  token  word  chains`` per token, a blank line after each sentence. Chains are ``-`` or
    ``(id``, ``id)``, ``(id)`` entries joined by ``|``. The topic is the document key's first part ("0/-/0_L")."""
    documents = []
    for key, sentences, chains in _conll_documents(path):
        text, spans = detokenize(sentences)
        mentions = []
        for chain, sentence, first, last in chains:
            actor = newswcl50_actor(chain)
            if actor is None:
                continue
            tokens = spans[sentence][first : last + 1]
            head = tokens[phrase_head(sentences[sentence][first : last + 1])]
            mentions.append(GoldMention((tokens[0][0], tokens[-1][1]), head, actor))
        documents.append(GoldDocument(key, key.split("/")[0], text, _one_actor_each(mentions)))
    if not documents:
        raise ValueError(f"{path}: no documents")
    return documents


def _conll_documents(path: Path) -> Iterator[tuple[str, list[list[str]], list[tuple[str, int, int, int]]]]:
    """(document key, sentences of words, (chain, sentence, first token, last token) per mention) per document."""
    key: str | None = None
    sentences: list[list[str]] = []
    current: list[str] = []  # the words of the sentence being read
    mentions: list[tuple[str, int, int, int]] = []
    opened: dict[str, list[int]] = defaultdict(list)  # chain -> first tokens of its open mentions (a stack)
    for number, raw in _lines(path):
        line = raw.rstrip("\n")
        where = f"{path}:{number}"
        if line.startswith("#begin document"):
            match = _BEGIN.match(line)
            if match is None or key is not None:
                raise ValueError(f"{where}: unexpected {line[:60]!r}")
            key, sentences, current, mentions = match.group(1).strip(), [], [], []
        elif line.startswith("#end document"):
            if key is None or any(opened.values()):
                raise ValueError(f"{where}: a document end without its beginning, or with a mention left open")
            yield key, [*sentences, current] if current else sentences, mentions
            key = None
        elif not line.strip():
            if any(opened.values()):
                raise ValueError(f"{where}: a mention runs over the end of its sentence")
            if current:
                sentences.append(current)
                current = []
        else:
            columns = line.split("\t")
            if key is None or len(columns) < 5:
                raise ValueError(f"{where}: expected 'document<TAB>sentence<TAB>token<TAB>word<TAB>chains'")
            for entry in (e.strip() for e in columns[4].split("|")):
                if entry in ("", "-"):
                    continue
                chain = entry.strip("()")
                if entry.startswith("("):
                    opened[chain].append(len(current))
                if entry.endswith(")"):
                    if not opened[chain]:
                        raise ValueError(f"{where}: {chain} closes a mention it never opened")
                    mentions.append((chain, len(sentences), opened[chain].pop(), len(current)))
            current.append(columns[3])
    if key is not None:
        raise ValueError(f"{path}: document {key} has no '#end document' line")


def _one_actor_each(mentions: Iterable[GoldMention]) -> tuple[GoldMention, ...]:
    """The mentions, once per span; a span the gold gives several actors ("the two Koreas", "our two nations")
    refers to none of them alone, no actor grouping can hold it, and it is left out."""
    actors: dict[CharSpan, set[str]] = defaultdict(set)
    first: dict[CharSpan, GoldMention] = {}
    for mention in mentions:
        actors[mention.span].add(mention.actor)
        first.setdefault(mention.span, mention)
    return tuple(m for span, m in first.items() if len(actors[span]) == 1)


# ---- ECB+

_ECB_FIELDS = frozenset({"coref_chain", "doc_id", "sent_id", "tokens_number", "tokens_text"})
_ECB_ACTOR_TYPES = frozenset(
    {"HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "HUMAN_PART_MET", "LOC_GEO", "LOC_FAC"}
)


@dataclass(frozen=True, slots=True)
class _Raw:
    """An ECB+ mention as the file gives it: sentence, token numbers in the sentence, words, chain, type, head."""

    sentence: int
    numbers: tuple[int, ...]
    words: tuple[str, ...]
    chain: str
    type: str
    head: int | None


def read_ecbplus(path: Path) -> list[GoldDocument]:
    """The documents of ECB+ (``docs.jsonl`` beside ``path``) with the actor mentions of ``path``.

    A document's text is rebuilt from its tokens where the file has them (``text_tokenized_from_conll``, one
    sentence per line); otherwise it is the title, a line break and the body as ``docs.jsonl`` gives them, and each
    mention is found in it by its words (`_place`). URL and date lines are not part of that text, so mentions
    in them stay unplaced and are counted as such.
    """
    docs_path = path.with_name("docs.jsonl")
    if not docs_path.is_file():
        raise ValueError(f"{path}: ECB+ entity mentions need the documents beside them, and {docs_path} is missing")
    raws: dict[str, list[_Raw]] = defaultdict(list)
    for where, record in _json_lines(path):
        if not isinstance(record, dict) or not record.keys() >= _ECB_FIELDS:
            raise ValueError(f"{where}: not an ECB+ mention (needs {', '.join(sorted(_ECB_FIELDS))})")
        numbers = tuple(int(n) for n in record["tokens_number"])
        words = tuple(str(w) for w in record["tokens_text"])
        if not numbers or len(numbers) != len(words):
            raise ValueError(f"{where}: tokens_number and tokens_text differ in length")
        head = record.get("mention_head_id")
        if record.get("mention_head_pos") in _FUNCTION_POS:
            head = None  # the automatic parse heads "in Los Angeles" with "in": find the noun's head instead
        raw = _Raw(
            int(record["sent_id"]),
            numbers,
            words,
            str(record["coref_chain"]),
            str(record.get("mention_full_type", "")),
            head if isinstance(head, int) and head in numbers else None,
        )
        raws[str(record["doc_id"])].append(raw)
    documents = []
    for where, record in _json_lines(docs_path):
        if not isinstance(record, dict) or not {"doc_id", "title", "text"} <= record.keys():
            raise ValueError(f"{where}: not an ECB+ document (needs doc_id, title, text)")
        doc_id = str(record["doc_id"])
        mentions = raws.pop(doc_id, [])
        if record.get("text_tokenized_from_conll"):
            lines = [[*line.split(" "), "\n"] for line in str(record["text_tokenized_from_conll"]).split("\n")]
            text, spans = detokenize(lines)
            placed = [_tokens_at(spans, lines, m) for m in mentions]
        else:
            text = f"{record['title']}\n{record['text']}"
            placed = _place(text, mentions)
        gold = []
        for raw, tokens in zip(mentions, placed, strict=True):
            if tokens is not None and raw.type in _ECB_ACTOR_TYPES:
                head = tokens[raw.numbers.index(raw.head) if raw.head is not None else phrase_head(raw.words)]
                gold.append(GoldMention((tokens[0][0], tokens[-1][1]), head, raw.chain))
        annotated = tuple(sorted((t[0][0], t[-1][1]) for t in placed if t is not None))
        unplaced = sum(1 for raw, t in zip(mentions, placed, strict=True) if t is None and raw.type in _ECB_ACTOR_TYPES)
        topic = str(record.get("topic", doc_id.split("_")[0]))
        documents.append(GoldDocument(doc_id, topic, text, _one_actor_each(gold), annotated, unplaced))
    if raws:
        raise ValueError(f"{path}: mentions of {sorted(raws)[0]}, which {docs_path} does not have")
    if not documents:
        raise ValueError(f"{docs_path}: no documents")
    return documents


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a UTF-8 text file; a file that is not UTF-8 is a `ValueError` naming it."""
    try:
        with path.open(encoding="utf-8") as handle:
            yield from enumerate(handle, 1)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start} of a line)") from None


def _json_lines(path: Path) -> Iterator[tuple[str, object]]:
    for number, line in _lines(path):
        if line.strip():
            try:
                yield f"{path}:{number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None


def _tokens_at(spans: Sequence[Sequence[CharSpan]], lines: Sequence[Sequence[str]], raw: _Raw) -> list[CharSpan] | None:
    """The spans of a mention's tokens in a text rebuilt from the tokens, None if its words are not there."""
    if raw.sentence >= len(spans) or max(raw.numbers) >= len(spans[raw.sentence]) - 1:
        return None
    if any(lines[raw.sentence][n] != word for n, word in zip(raw.numbers, raw.words, strict=True)):
        return None
    return [spans[raw.sentence][n] for n in raw.numbers]


# ---- finding ECB+ mentions in a text that lost its tokens

# Approximately the ECB+ tokens: words (with inner apostrophes: ECB+ keeps "Iran's" whole) and single marks.
_APPROX_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# Costs of a placement, per token or sentence of disagreement between the file's positions and the text's.
_GAP_COST = 1.0  # two mentions of one sentence: the token distance between them
_SENTENCE_COST = 2.0  # two mentions of different sentences: the number of sentences between them
_POSITION_COST = 0.2  # a mention's token number in its sentence (the sentence split is only approximate)
_SKIP_COST = 10.0  # leaving a mention unplaced (its sentence is not in the text, or its words are elsewhere)


@dataclass(frozen=True, slots=True)
class _Option:
    """One place a mention's words occur: the spans of its tokens, and where that is in tokens and sentences."""

    tokens: tuple[CharSpan, ...]
    token: int  # index of the first token in the text (approximate tokens)
    sentence: int  # index of the sentence (the product's sentence split)
    position: int  # token index within that sentence


def _place(text: str, mentions: Sequence[_Raw]) -> list[list[CharSpan] | None]:
    """Where each mention's tokens stand in ``text``, None for a mention whose words are not there.

    The words of a mention may occur several times ("he", "the police"), so all mentions of the document are
    placed together: in the file's order (sentence, token), each at one occurrence of its words, minimising the
    disagreement between the file's sentence and token numbers and the text's (counted in approximate tokens
    and sentences); the best placement of the whole document is found by dynamic programming.
    """
    token_starts = [m.start() for m in _APPROX_TOKEN.finditer(text)]
    sentences = sentence_spans(text, paragraph_spans(text))
    sentence_starts = [s.start for s in sentences]
    first_tokens = [bisect.bisect_left(token_starts, s.start) for s in sentences]

    def option(match: re.Match[str]) -> _Option:
        start = match.start()
        token = bisect.bisect_right(token_starts, start) - 1
        sentence = max(bisect.bisect_right(sentence_starts, start) - 1, 0)
        position = token - first_tokens[sentence] if sentences else token
        return _Option(tuple(match.span(g) for g in range(1, match.re.groups + 1)), token, sentence, position)

    options = [[option(m) for m in _pattern(raw).finditer(text)] for raw in mentions]
    order = sorted(
        (i for i in range(len(mentions)) if options[i]),
        key=lambda i: (mentions[i].sentence, mentions[i].numbers[0], -mentions[i].numbers[-1]),
    )
    if not order:
        return [None] * len(mentions)
    # best[k][o]: the least cost of a placement of order[:k + 1] that places order[k] at its option o (mentions
    # before it may be skipped); back[k][o]: the mention and option placed before it, if any.
    best: list[list[float]] = []
    back: list[list[tuple[int, int] | None]] = []
    for k, now in enumerate(mentions[i] for i in order):
        best.append([])
        back.append([])
        for here in options[order[k]]:
            cost, pointer = _SKIP_COST * k, None
            for j in range(k):
                before = mentions[order[j]]
                for p, there in enumerate(options[order[j]]):
                    total = best[j][p] + _SKIP_COST * (k - j - 1) + _step(before, there, now, here)
                    if total < cost:
                        cost, pointer = total, (j, p)
            best[-1].append(cost + _POSITION_COST * abs(here.position - now.numbers[0]))
            back[-1].append(pointer)
    ends = [
        (best[k][o] + _SKIP_COST * (len(order) - 1 - k), k, o) for k in range(len(order)) for o in range(len(best[k]))
    ]
    placed: list[list[CharSpan] | None] = [None] * len(mentions)
    cost, k, o = min(ends)
    if cost >= _SKIP_COST * len(order):
        return placed
    at: tuple[int, int] | None = (k, o)
    while at is not None:
        k, o = at
        placed[order[k]] = list(options[order[k]][o].tokens)
        at = back[k][o]
    return placed


def _step(before: _Raw, q: _Option, now: _Raw, o: _Option) -> float:
    """The cost of placing ``now`` at ``o`` right after ``before`` at ``q`` (infinite if out of order)."""
    if before.sentence == now.sentence and before.numbers[0] == now.numbers[0]:
        if o.tokens[0][0] != q.tokens[0][0]:
            return np.inf
    elif o.tokens[0][0] <= q.tokens[0][0]:
        return np.inf
    if before.sentence == now.sentence:
        return _GAP_COST * abs((o.token - q.token) - (now.numbers[0] - before.numbers[0]))
    return _SENTENCE_COST * abs((o.sentence - q.sentence) - (now.sentence - before.sentence))


def _pattern(raw: _Raw) -> re.Pattern[str]:
    """The mention's words as they stand in the text: one group per token, at most a space between consecutive
    tokens, any words of the same line between non-consecutive ones."""
    parts = []
    for i, (number, word) in enumerate(zip(raw.numbers, raw.words, strict=True)):
        if i:
            parts.append(r"\s?" if number == raw.numbers[i - 1] + 1 else r"\s(?:[^\n]*?\s)?")
        parts.append(f"({re.escape(chr(34) if word == '``' else word)})")
    before = r"(?<!\w)" if re.match(r"\w", raw.words[0]) else ""
    after = r"(?!\w)" if re.search(r"\w$", raw.words[-1]) else ""
    return re.compile(before + "".join(parts) + after)
