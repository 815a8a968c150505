"""Per-article analysis: the stage registry and the stages themselves.

Importing this package registers every built-in stage (explicitly, below: no discovery by magic). Later issues
replace a stage's internals with trained models behind the same name and interface.
"""

from rashomon.errors import ModelNotFoundError
from rashomon.nlp import entities, labels, language, quotes, segment, stance, syntax  # noqa: F401  (registers the stages)
from rashomon.nlp.english import MODEL_DIR, load
from rashomon.nlp.pipeline import Pipeline, Stage, get_stage, register, registered_stages

__all__ = [
    "MODEL_DIR",
    "ModelNotFoundError",
    "Pipeline",
    "Stage",
    "get_stage",
    "load",
    "register",
    "registered_stages",
]
