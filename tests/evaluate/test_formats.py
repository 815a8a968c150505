"""Reading CoNLL-U (multiword tokens, empty nodes) and CoNLL-2003 (IOB1) exactly as the scorers expect."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from rashomon.evaluate.formats import iob1_entities, ner_doc, read_conll2003, read_conllu, ud_doc

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate"


def test_conllu_words_spacing_and_empty_nodes() -> None:
    first, second = list(read_conllu(FIXTURES / "tiny.conllu"))
    assert [w.form for w in first] == ["Maduro", "wo", "n't", "resign", "."]
    assert [w.space_after for w in first] == [True, False, True, False, True]  # "won't" has no inner space
    assert [w.form for w in second] == ["Protests", "grew", "."]  # the empty node 1.1 is left out
    doc = ud_doc(spacy.blank("en").vocab, [first, second])
    assert doc.text.startswith("Maduro won't resign. Protests grew.")
    assert [t.dep_ for t in doc[:5]] == ["nsubj", "aux", "advmod", "root", "punct"]  # UD spelling kept
    assert doc[0].head.i == 3 and doc[5].head.i == 6


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["I-PER", "I-PER", "O", "I-LOC"], ((0, 2, "PER"), (3, 4, "LOC"))),
        (["I-PER", "B-PER", "I-PER"], ((0, 1, "PER"), (1, 3, "PER"))),  # B- separates adjacent same-type names
        (["B-ORG", "I-ORG", "I-LOC"], ((0, 2, "ORG"), (2, 3, "LOC"))),  # IOB2 input reads the same
        (["O", "O"], ()),
    ],
)
def test_iob1(tags: list[str], expected: tuple[tuple[int, int, str], ...]) -> None:
    assert iob1_entities(tags) == expected


def test_conll2003_documents_and_doc() -> None:
    documents = list(read_conll2003(FIXTURES / "tiny.conll"))
    assert [len(d) for d in documents] == [2, 1]
    doc = ner_doc(spacy.blank("en").vocab, documents[0])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Jeremy Corbyn", "PER"),
        ("Caracas", "LOC"),
        ("Labour Party", "ORG"),
        ("Nicolas Maduro", "PER"),
        ("Hugo Chavez", "PER"),
    ]


def test_malformed_conllu_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.conllu: malformed CoNLL-U line"):
        list(read_conllu(bad))
