"""Build the raw-text JSONL that `spacy pretrain` reads (docs/models.md, run 9), from train portions only.

    python training/pretrain_text.py --data ../shared/datasets --out training/corpus/pretrain.jsonl

One JSON object `{"text": ...}` per line, from the train portions of: PolNeAR (`data/train/text`), PTC SemEval-2020
task 11 (`train-articles`), ECB+ (`docs.jsonl` rows with split "train"), CoNLL-2003 `eng.train` (tokens joined by
spaces), UD English EWT train (the `# text =` lines) and NewsMTSC `original/train.jsonl`. No dev or test text, and
nothing from NewsWCL50 (an evaluation set). Articles are cut into paragraphs, and paragraphs longer than
--max-words into runs of whole sentences, because spaCy's JSONL reader skips documents of 500 tokens or more;
sentence-per-line corpora are grouped --group sentences at a time, as training/convert.py groups them. Exact
duplicate lines are dropped and the lines shuffled with a fixed seed, so the sources mix within every batch.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def paragraphs(text: str, max_words: int) -> Iterator[str]:
    """Non-empty paragraphs of `text`; one longer than `max_words` words is cut between sentences."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if len(line.split()) <= max_words:
            yield line
            continue
        piece: list[str] = []
        for sentence in SENTENCE_END.split(line):
            if piece and len(" ".join([*piece, sentence]).split()) > max_words:
                yield " ".join(piece)
                piece = []
            piece.append(sentence)
        if piece:
            yield " ".join(piece)


def grouped(sentences: Iterable[str], size: int) -> Iterator[str]:
    group: list[str] = []
    for sentence in sentences:
        group.append(sentence)
        if len(group) == size:
            yield " ".join(group)
            group = []
    if group:
        yield " ".join(group)


def conll_documents(path: Path) -> Iterator[list[str]]:
    """CoNLL-2003 documents (split at -DOCSTART-) as lists of sentences, tokens joined by spaces."""
    document: list[str] = []
    tokens: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields:
            if tokens:
                document.append(" ".join(tokens))
                tokens = []
        elif fields[0] == "-DOCSTART-":
            if document:
                yield document
            document = []
        else:
            tokens.append(fields[0])
    if tokens:
        document.append(" ".join(tokens))
    if document:
        yield document


def texts(data: Path, max_words: int, group: int) -> dict[str, list[str]]:
    """The raw texts per source."""
    out: dict[str, list[str]] = {}
    articles = sorted((data / "polnear" / "data" / "train" / "text").glob("*.txt"))
    out["polnear"] = [p for f in articles for p in paragraphs(f.read_text(encoding="utf-8"), max_words)]
    articles = sorted((data / "ptc_semeval2020_task11" / "train-articles").glob("*.txt"))
    out["ptc"] = [p for f in articles for p in paragraphs(f.read_text(encoding="utf-8"), max_words)]
    ecb = []
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as file:
        for line in file:
            row = json.loads(line)
            if row["split"] == "train":
                ecb.extend(paragraphs("\n".join(filter(None, (row.get("title"), row["text"]))), max_words))
    out["ecbplus"] = ecb
    out["conll2003"] = [
        text for document in conll_documents(data / "conll2003" / "eng.train") for text in grouped(document, group)
    ]
    ewt = data / "ud_english_ewt" / "en_ewt-ud-train.conllu"
    lines = ewt.read_text(encoding="utf-8").splitlines()
    sentences = [line.removeprefix("# text = ") for line in lines if line.startswith("# text = ")]
    out["ud_english_ewt"] = list(grouped(sentences, group))
    with (data / "newsmtsc" / "original" / "train.jsonl").open(encoding="utf-8") as file:
        out["newsmtsc"] = [" ".join(json.loads(line)["sentence_normalized"].split()) for line in file]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus" / "pretrain.jsonl")
    parser.add_argument("--max-words", type=int, default=300, help="longest paragraph kept whole")
    parser.add_argument("--group", type=int, default=10, help="sentences per line for sentence-per-line corpora")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    seen: set[str] = set()
    lines = []
    for source, items in texts(args.data, args.max_words, args.group).items():
        kept = []
        for text in items:
            if text and text not in seen:
                seen.add(text)
                kept.append(text)
        print(f"{source}: {len(kept)} texts, {sum(len(t.split()) for t in kept)} words")
        lines.extend(kept)
    random.Random(args.seed).shuffle(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as file:
        for text in lines:
            file.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    print(f"{args.out}: {len(lines)} texts, {sum(len(t.split()) for t in lines)} words")


if __name__ == "__main__":
    main()
