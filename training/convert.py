"""Convert the shared training corpora into spaCy DocBin files (train and dev portions only).

    python training/convert.py --data ../shared/datasets --out training/corpus

UD English EWT -> ud-train.spacy, ud-dev.spacy; CoNLL-2003 eng.train / eng.testa -> ner-train.spacy,
ner-dev.spacy. Sentences are grouped into documents of --group sentences (UD) or by -DOCSTART- document (NER,
split into chunks of at most --group sentences), so the models see multi-sentence context as they will in use.
"""

from __future__ import annotations

import argparse
from itertools import islice
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from rashomon.evaluate.formats import ner_doc, read_conll2003, read_conllu, ud_doc


def _chunks(items: list, size: int) -> list[list]:
    it = iter(items)
    out = []
    while chunk := list(islice(it, size)):
        out.append(chunk)
    return out


def convert(data: Path, out: Path, group: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    vocab = spacy.blank("en").vocab
    ud = data / "ud_english_ewt"
    for split in ("train", "dev"):
        sentences = list(read_conllu(ud / f"en_ewt-ud-{split}.conllu"))
        bin_ = DocBin(store_user_data=False)
        for chunk in _chunks(sentences, group):
            bin_.add(ud_doc(vocab, chunk))
        bin_.to_disk(out / f"ud-{split}.spacy")
        print(f"ud-{split}: {len(sentences)} sentences, {sum(len(s) for s in sentences)} words")
    conll = data / "conll2003"
    for split, name in (("train", "eng.train"), ("dev", "eng.testa")):
        bin_ = DocBin(store_user_data=False)
        n_sent = n_ent = 0
        for document in read_conll2003(conll / name):
            for chunk in _chunks(document, group):
                bin_.add(ner_doc(vocab, chunk))
                n_sent += len(chunk)
                n_ent += sum(len(s.entities) for s in chunk)
        bin_.to_disk(out / f"ner-{split}.spacy")
        print(f"ner-{split}: {n_sent} sentences, {n_ent} entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"), help="the shared datasets folder")
    parser.add_argument("--out", type=Path, default=Path("training/corpus"), help="where to write .spacy files")
    parser.add_argument("--group", type=int, default=10, help="sentences per training document")
    args = parser.parse_args()
    convert(args.data, args.out, args.group)


if __name__ == "__main__":
    main()
