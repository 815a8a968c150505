"""Dev scorers for joint training on corpora that annotate different layers (EWT: syntax; CoNLL-2003: entities).

spaCy's own parser scorer counts every document of the dev folder, including the CoNLL documents that carry no
dependency annotation; in run 6 (docs/models.md) that made `dep_uas`/`dep_las` read 0, so checkpoint selection
ignored the parser. These scorers score each layer only on the documents annotated for it. Training-only: pass
this file with `--code training/scorers.py`; `train_pipeline.assemble` puts spaCy's default scorers back into
the shipped config, so the package never needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.pipeline.dep_parser import parser_score
from spacy.pipeline.ner import ner_score
from spacy.training import Example
from spacy.util import registry

Scorer = Callable[..., dict[str, Any]]


def annotated_only(score: Scorer, annotation: str) -> Scorer:
    def restricted(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return score([eg for eg in examples if eg.reference.has_annotation(annotation)], **kwargs)

    return restricted


@registry.scorers("rashomon.parser_scorer.v1")
def make_parser_scorer() -> Scorer:
    return annotated_only(parser_score, "DEP")


@registry.scorers("rashomon.ner_scorer.v1")
def make_ner_scorer() -> Scorer:
    return annotated_only(ner_score, "ENT_IOB")
