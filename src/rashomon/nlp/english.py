"""The shipped English spaCy pipeline (tagger, morphologizer, lemmatizer, parser, NER): finding and loading it.

Trained by `make train-pipeline` from UD English EWT and CoNLL-2003 (see the model card beside the weights,
`src/rashomon/models/en_rashomon/MODEL_CARD.md`). Loading reads files inside the installed package only: no
network, no model hub.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "en_rashomon"


def model_path(path: str | Path | None = None) -> Path:
    target = Path(path) if path is not None else MODEL_DIR
    if not (target / "meta.json").is_file() or not (target / "config.cfg").is_file():
        raise ModelNotFoundError(
            f"no spaCy pipeline at {target} (expected meta.json and config.cfg there); "
            "the shipped one is trained with `make train-pipeline`"
        )
    return target


@lru_cache(maxsize=4)
def _load(path: Path) -> Language:
    import spacy  # imported here: loading spaCy costs a second, and many commands never need it

    return spacy.load(path)


def load(path: str | Path | None = None) -> Language:
    """The shipped English pipeline (or the one at ``path``), loaded once per process and cached."""
    return _load(model_path(path).resolve())
