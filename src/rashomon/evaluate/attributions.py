"""Scoring quote attribution (source, cue, content) against PolNeAR-style brat standoff gold, as pure functions.

Reads the corpus (`read_brat`, `read_polnear`) and scores predicted attributions against it
(`score_attributions`). Kept free of spaCy, so the arithmetic is tested on hand-made gold and predictions.
The metric definitions are in docs/models.md ("Quote attribution (issue 4)", "Scoring"):

- Spans are compared as sets of word tokens: tokens are ``\\w+|[^\\w\\s]`` over the article text, a span's
  tokens are those overlapping it, and punctuation tokens are dropped.
- Exact: the same token set. Overlap: the shared tokens are at least half of the larger set. Gold and
  predicted items are paired one to one, greedily, largest overlap first.
- Whole attributions match on content overlap and source overlap; a gold attribution without a source matches
  a prediction without a source (and content overlap).
- An attribution is "direct" when at least half of its content's word tokens lie inside quotation marks.
- An article annotated by several annotators is scored against each version; the counts (true positives,
  predicted, gold) are averaged over its versions, then summed over articles.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from rashomon.evaluate.scoring import precision_recall_f1

CharSpan = tuple[int, int]  # half-open character range [start, end) into the article text
Kind = Literal["direct", "indirect"]
KINDS: tuple[Kind, Kind] = ("direct", "indirect")


@dataclass(frozen=True, slots=True)
class AttributionSpans:
    """One attribution as character spans: who (source), the reporting words (cue), what was reported (content).

    Each part may be empty (no source) or discontinuous (several spans).
    """

    source: tuple[CharSpan, ...] = ()
    cue: tuple[CharSpan, ...] = ()
    content: tuple[CharSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One article and its gold attributions: one version per annotation file (annotator)."""

    name: str
    text: str
    versions: tuple[tuple[AttributionSpans, ...], ...]
    annotators: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------- reading

_RECORD = re.compile(r"(?:[TERAMN]\d+|#\d*|\*)\t")  # the start of a brat standoff line
_TEXT_BOUND = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
_ROLES = ("Source", "Cue", "Content")  # E-line roles we read ("Content2" counts as Content); others are ignored


def read_brat(text: str, ann: str, *, name: str) -> tuple[AttributionSpans, ...]:
    """The attributions of one brat standoff annotation of ``text``: one per E line, in file order.

    T lines give spans (possibly discontinuous); an E line joins them by role. Roles starting with "Source",
    "Cue" or "Content" are read (repeated roles add spans), other roles ("Attribution", "Attribution-no-source")
    are ignored, and so are T lines no E line uses (Discard, Discuss). An E line with none of the three roles
    gives nothing. The role, not the T line's type, decides the part. A T line's text may run over several lines
    (a span with a newline in it). Raises `ValueError` naming ``name`` and the line on malformed input: bad
    syntax, offsets outside the text, span text that does not match the text at its offsets, unknown or
    duplicate ids.
    """
    spans: dict[str, tuple[CharSpan, ...]] = {}
    events: list[tuple[int, str]] = []
    lines = ann.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number].removesuffix("\r")
        number += 1
        where = f"{name}:{number}"
        if not line.strip():
            continue
        if not _RECORD.match(line):
            raise ValueError(f"{where}: not a brat standoff line: {line[:60]!r}")
        if line.startswith("T"):
            match = _TEXT_BOUND.fullmatch(line)
            if match is None:
                raise ValueError(f"{where}: malformed T line (expected 'T<n>\\t<type> <start> <end>\\t<text>')")
            words = match.group(4)
            # A span with a newline in it: its text continues on the following lines.
            while number < len(lines) and not _RECORD.match(lines[number]):
                words += "\n" + lines[number].removesuffix("\r")
                number += 1
            ident = match.group(1)
            if ident in spans:
                raise ValueError(f"{where}: duplicate id {ident}")
            spans[ident] = _fragments(match.group(3), text, words, where)
        elif line.startswith("E"):
            events.append((number, line))
    result = []
    for number, line in events:
        where = f"{name}:{number}"
        ident, _, arguments = line.partition("\t")
        parts: dict[str, list[CharSpan]] = {role: [] for role in _ROLES}
        for argument in arguments.split():
            role, colon, target = argument.partition(":")
            if not colon or not role or not target:
                raise ValueError(f"{where}: malformed argument {argument!r} in {ident} (expected Role:T<n>)")
            if target not in spans:
                raise ValueError(f"{where}: {ident} refers to {target}, which no T line defines")
            for known in _ROLES:
                if role.startswith(known):
                    parts[known].extend(spans[target])
        if any(parts.values()):
            source, cue, content = (tuple(sorted(set(parts[role]))) for role in _ROLES)
            result.append(AttributionSpans(source, cue, content))
    return tuple(result)


def _fragments(offsets: str, text: str, words: str, where: str) -> tuple[CharSpan, ...]:
    fragments = []
    for fragment in offsets.split(";"):
        start, end = (int(n) for n in fragment.split())
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"{where}: span {start}-{end} lies outside the text ({len(text)} characters)")
        fragments.append((start, end))
    # brat writes a discontinuous span's text as its fragments joined by a space; compare ignoring whitespace.
    covered = " ".join(text[start:end] for start, end in fragments)
    if covered.split() != words.split():
        raise ValueError(f"{where}: the text at {offsets} is {covered[:40]!r}, not {words.strip()[:40]!r}")
    return tuple(fragments)


_ANNOTATION = re.compile(r"(.+)_([0-9a-fA-F]{4})\.ann")


def read_polnear(directory: Path) -> list[GoldArticle]:
    """Every article of a PolNeAR split (``text/<name>.txt``, ``attributions/<name>_<annotator>.ann``), by name.

    Raises `ValueError` if the directory lacks either folder, if a text has no annotation file or an annotation
    file no text, or if an annotation file is malformed. Files are read without newline translation, so that
    the character offsets hold.
    """
    texts, attributions = directory / "text", directory / "attributions"
    missing = [f"{folder.name}/" for folder in (texts, attributions) if not folder.is_dir()]
    if missing:
        raise ValueError(f"{directory}: not a PolNeAR split: no {' or '.join(missing)} folder")
    annotations: dict[str, list[tuple[str, Path]]] = {}
    for path in sorted(attributions.glob("*.ann")):
        match = _ANNOTATION.fullmatch(path.name)
        if match is None:
            raise ValueError(f"{path}: expected a name like <article>_<4 hex digits>.ann")
        annotations.setdefault(match.group(1), []).append((match.group(2), path))
    names = sorted(path.stem for path in texts.glob("*.txt"))
    if not names:
        raise ValueError(f"{texts}: no .txt files")
    orphans = sorted(set(annotations) - set(names))
    if orphans:
        raise ValueError(f"{attributions}: annotations of {orphans[0]} but no text/{orphans[0]}.txt")
    articles = []
    for name in names:
        if name not in annotations:
            raise ValueError(f"{texts / name}.txt: no annotation file attributions/{name}_<annotator>.ann")
        text = _read(texts / f"{name}.txt")
        found = annotations[name]
        versions = tuple(read_brat(text, _read(path), name=str(path)) for _, path in found)
        articles.append(GoldArticle(name, text, versions, tuple(annotator for annotator, _ in found)))
    return articles


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w")  # word tokens; the others (punctuation, symbols) are dropped before comparing
Tokens = frozenset[int]  # indices of word tokens in the article

# Double quotation marks: opening mark -> the marks that close it. A straight " opens and closes.
_DOUBLE = {"“": '”"', "„": '“”"', "«": "»", '"': '"”'}


def _quoted(text: str) -> list[CharSpan]:
    """The character ranges inside quotation marks, marks excluded, pairing marks within each paragraph (line).

    A double mark left open at the end of its paragraph quotes the rest of the paragraph (the news convention
    for a quote running over several paragraphs). ‘ opens a single-quoted range that the next ’ not between two
    letters or digits closes (so apostrophes do not close it); single marks inside double ones are not paired.
    Two straight apostrophes ('') count as a straight double mark, as the New York Times texts write them.
    """
    text = text.replace("''", '" ')  # same length: the offsets hold
    ranges: list[CharSpan] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        double: tuple[int, str] | None = None  # (start of the quoted words, the marks that close them)
        single: int | None = None
        for i in range(paragraph.start(), paragraph.end()):
            mark = text[i]
            if double is not None:
                if mark in double[1]:
                    ranges.append((double[0], i))
                    double = None
            elif single is not None:
                if mark == "’" and not (text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum()):
                    ranges.append((single, i))
                    single = None
            elif mark in _DOUBLE:
                double = (i + 1, _DOUBLE[mark])
            elif mark == "‘":
                single = i + 1
        if double is not None:
            ranges.append((double[0], paragraph.end()))
    return ranges


class _Index:
    """An article's word tokens: which a span covers, and which stand inside quotation marks."""

    def __init__(self, text: str) -> None:
        words = [m for m in _TOKEN.finditer(text) if _WORD.match(m.group())]
        self.starts = [m.start() for m in words]
        self.ends = [m.end() for m in words]
        self.quoted: set[int] = set()
        for start, end in _quoted(text):
            first = bisect.bisect_left(self.starts, start)
            last = bisect.bisect_right(self.ends, end)  # tokens ending at or before `end`
            self.quoted.update(range(first, last))

    def tokens(self, spans: Iterable[CharSpan]) -> Tokens:
        found: set[int] = set()
        for start, end in spans:
            if start >= end:
                continue
            first = bisect.bisect_right(self.ends, start)  # first token ending after `start`
            last = bisect.bisect_left(self.starts, end)  # tokens starting before `end`
            found.update(range(first, last))
        return frozenset(found)

    def kind(self, content: Tokens) -> Kind:
        return "direct" if content and 2 * len(content & self.quoted) >= len(content) else "indirect"


# ---------------------------------------------------------------------------------------------------- matching


def kind_of(text: str, content: Iterable[CharSpan]) -> Kind:
    """An attribution's kind: "direct" if at least half of its content's word tokens stand inside quotation
    marks, else "indirect" (marks paired as `_quoted` pairs them)."""
    index = _Index(text)
    return index.kind(index.tokens(content))


def _exact(gold: Tokens, pred: Tokens) -> int | None:
    return len(gold) if gold == pred else None


def _overlap(gold: Tokens, pred: Tokens) -> int | None:
    shared = len(gold & pred)
    return shared if shared and 2 * shared >= max(len(gold), len(pred)) else None


Candidate = tuple[tuple[int, ...], int, int]  # (score, best first; gold index; predicted index)


def _one_to_one(candidates: Iterable[Candidate]) -> int:
    """How many pairs a greedy one-to-one matching takes, best score first (ties: file order)."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, g, p in sorted(candidates, key=lambda c: (tuple(-s for s in c[0]), c[1], c[2])):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
    return len(used_gold)


def _matched(gold: Sequence[Tokens], pred: Sequence[Tokens], rule: Callable[[Tokens, Tokens], int | None]) -> int:
    candidates: list[Candidate] = []
    for g, gold_tokens in enumerate(gold):
        for p, pred_tokens in enumerate(pred):
            score = rule(gold_tokens, pred_tokens)
            if score is not None:
                candidates.append(((score,), g, p))
    return _one_to_one(candidates)


@dataclass(frozen=True, slots=True)
class _Item:
    """An attribution as token sets, ready to match."""

    content: Tokens
    source: Tokens
    kind: Kind


def _whole(gold: Sequence[_Item], pred: Sequence[_Item]) -> int:
    candidates: list[Candidate] = []
    for g, gold_item in enumerate(gold):
        for p, pred_item in enumerate(pred):
            content = _overlap(gold_item.content, pred_item.content)
            if content is None:
                continue
            if not gold_item.source and not pred_item.source:
                source: int | None = 0
            elif gold_item.source and pred_item.source:
                source = _overlap(gold_item.source, pred_item.source)
            else:
                source = None
            if source is not None:
                candidates.append(((content, source), g, p))
    return _one_to_one(candidates)


# ---------------------------------------------------------------------------------------------------- scores


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched, predicted and gold items; fractional where averaged over annotators."""

    tp: float = 0.0
    predicted: float = 0.0
    gold: float = 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    def scaled(self, factor: float) -> Counts:
        return Counts(self.tp * factor, self.predicted * factor, self.gold * factor)

    @property
    def prf(self) -> tuple[float, float, float]:
        return precision_recall_f1(self.tp, self.predicted - self.tp, self.gold - self.tp)

    def as_json(self) -> dict[str, float]:
        precision, recall, f1 = self.prf
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# The counts `score_attributions` keeps, by name.
METRICS = (
    "content_exact",
    "content_overlap",
    "source_exact",
    "source_overlap",
    "cue_exact",
    "cue_overlap",
    "whole",
    *(f"{kind}_{part}" for kind in KINDS for part in ("content_overlap", "whole")),
)

NOTE = (
    "Counts (matched, predicted, gold) are averaged over an article's annotators, then summed over articles; "
    "spans are sets of word tokens (punctuation dropped), paired one to one, and overlap means the shared tokens "
    "are at least half of the larger set."
)


@dataclass(frozen=True, slots=True)
class AttributionScores:
    counts: Mapping[str, Counts]  # one entry per name in METRICS
    articles: int
    annotation_files: int
    multi_annotator_articles: int
    gold_attributions: float  # with content, averaged over annotators, summed over articles
    predicted_attributions: int  # with content

    def prf(self, metric: str) -> tuple[float, float, float]:
        return self.counts[metric].prf

    def as_json(self) -> dict[str, object]:
        c = self.counts

        def exact_overlap(part: str) -> dict[str, object]:
            return {"exact": c[f"{part}_exact"].as_json(), "overlap": c[f"{part}_overlap"].as_json()}

        return {
            "content": exact_overlap("content"),
            "source": exact_overlap("source"),
            "cue": exact_overlap("cue"),
            "whole": c["whole"].as_json(),
            "by_kind": {
                kind: {
                    "content_overlap": c[f"{kind}_content_overlap"].as_json(),
                    "whole": c[f"{kind}_whole"].as_json(),
                    "gold": round(c[f"{kind}_content_overlap"].gold, 4),
                }
                for kind in KINDS
            },
            "articles": self.articles,
            "annotation_files": self.annotation_files,
            "multi_annotator_articles": self.multi_annotator_articles,
            "gold_attributions": round(self.gold_attributions, 4),
            "predicted_attributions": self.predicted_attributions,
            "note": NOTE,
        }


def _items(index: _Index, attributions: Sequence[AttributionSpans]) -> list[_Item]:
    items = []
    for attribution in attributions:
        content = index.tokens(attribution.content)
        if content:  # an attribution without content words reports nothing: it is not scored as one
            items.append(_Item(content, index.tokens(attribution.source), index.kind(content)))
    return items


def _distinct(index: _Index, spans: Iterable[tuple[CharSpan, ...]]) -> list[Tokens]:
    """The distinct non-empty token sets of the given parts (a source shared by two attributions counts once)."""
    return list(dict.fromkeys(t for t in (index.tokens(s) for s in spans) if t))


def _counts(gold: Sequence[AttributionSpans], pred: Sequence[AttributionSpans], index: _Index) -> dict[str, Counts]:
    counts: dict[str, Counts] = {}
    for part in ("source", "cue"):
        gold_sets = _distinct(index, (getattr(a, part) for a in gold))
        pred_sets = _distinct(index, (getattr(a, part) for a in pred))
        for name, rule in (("exact", _exact), ("overlap", _overlap)):
            counts[f"{part}_{name}"] = Counts(_matched(gold_sets, pred_sets, rule), len(pred_sets), len(gold_sets))
    gold_items, pred_items = _items(index, gold), _items(index, pred)
    for name, rule in (("exact", _exact), ("overlap", _overlap)):
        matched = _matched([i.content for i in gold_items], [i.content for i in pred_items], rule)
        counts[f"content_{name}"] = Counts(matched, len(pred_items), len(gold_items))
    counts["whole"] = Counts(_whole(gold_items, pred_items), len(pred_items), len(gold_items))
    for kind in KINDS:
        gold_kind = [i for i in gold_items if i.kind == kind]
        pred_kind = [i for i in pred_items if i.kind == kind]
        matched = _matched([i.content for i in gold_kind], [i.content for i in pred_kind], _overlap)
        counts[f"{kind}_content_overlap"] = Counts(matched, len(pred_kind), len(gold_kind))
        counts[f"{kind}_whole"] = Counts(_whole(gold_kind, pred_kind), len(pred_kind), len(gold_kind))
    return counts


def score_attributions(pairs: Iterable[tuple[GoldArticle, Sequence[AttributionSpans]]]) -> AttributionScores:
    """Micro-averaged scores over (gold article, predicted attributions) pairs; see the module docstring."""
    totals = {metric: Counts() for metric in METRICS}
    articles = files = multi = predicted = 0
    for article, pred in pairs:
        if not article.versions:
            raise ValueError(f"{article.name}: no gold annotation")
        index = _Index(article.text)
        articles += 1
        files += len(article.versions)
        multi += len(article.versions) > 1
        predicted += len(_items(index, pred))
        share = 1 / len(article.versions)
        for version in article.versions:
            counts = _counts(version, pred, index)
            for metric in METRICS:
                totals[metric] = totals[metric] + counts[metric].scaled(share)
    return AttributionScores(totals, articles, files, multi, totals["content_overlap"].gold, predicted)


def annotator_agreement(articles: Iterable[GoldArticle]) -> AttributionScores:
    """How well PolNeAR's annotators agree, scored as a model is: on each article with several annotation files,
    each annotator's version in turn is the prediction and the others are the gold (averaged as usual).

    A ceiling for the model's scores: a model scored against one annotator rarely agrees with it better than
    another annotator does. Articles with one annotator are skipped.
    """
    pairs = []
    multi = [a for a in articles if len(a.versions) > 1]
    for article in multi:
        for k, version in enumerate(article.versions):
            others = replace(
                article,
                versions=article.versions[:k] + article.versions[k + 1 :],
                annotators=article.annotators[:k] + article.annotators[k + 1 :],
            )
            pairs.append((others, version))
    scores = score_attributions(pairs)
    # Counted per article, not per (annotator, others) pair.
    files = sum(len(a.versions) for a in multi)
    return replace(scores, articles=len(multi), annotation_files=files, multi_annotator_articles=len(multi))
