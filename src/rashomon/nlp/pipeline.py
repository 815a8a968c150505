"""The stage registry and the pipeline runner.

A stage is a plain function ``(Document, Settings) -> Document`` registered under a name, declaring which
`Document` fields it requires and which it assigns (as spaCy components do). A `Pipeline` is built from stage
names; the order is checked once, at build time, so a missing prerequisite fails before any article is read.
The runner checks that each stage returned a `Document` and names the stage whenever one fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from rashomon.errors import PipelineError
from rashomon.model import DOCUMENT_FIELDS, Document
from rashomon.settings import Settings

StageFunc = Callable[[Document, Settings], Document]


@dataclass(frozen=True, slots=True)
class Stage:
    """A named, versioned pipeline step. Bump `version` whenever its output for the same input changes."""

    name: str
    func: StageFunc
    requires: frozenset[str]
    assigns: frozenset[str]
    version: str
    description: str


_REGISTRY: dict[str, Stage] = {}


def register(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str], version: str = "1"
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name``. The function itself is returned unchanged."""
    req, asg = frozenset(requires), frozenset(assigns)
    unknown = (req | asg) - DOCUMENT_FIELDS
    if unknown:
        raise PipelineError(f"stage {name!r} declares unknown document fields: {sorted(unknown)}")

    def decorate(func: StageFunc) -> StageFunc:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise PipelineError(f"stage {name!r} is already registered by {_REGISTRY[name].func.__module__}")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Stage(name, func, req, asg, version, doc[0] if doc else "")
        return func

    return decorate


def registered_stages() -> dict[str, Stage]:
    """All registered stages by name (a copy)."""
    return dict(_REGISTRY)


def get_stage(name: str) -> Stage:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise PipelineError(f"no stage named {name!r} (registered: {known})") from None


class Pipeline:
    """An ordered, checked sequence of stages that turns an `Article`'s document into an analysed one."""

    def __init__(self, names: Sequence[str], settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.stages: tuple[Stage, ...] = tuple(get_stage(n) for n in names)
        available = {"text"}
        for stage in self.stages:
            missing = stage.requires - available
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage assigns "
                    f"(order: {', '.join(names)})"
                )
            available |= stage.assigns

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    @property
    def version(self) -> str:
        """Identifies what this pipeline computes: changes whenever a stage, its order or its version does."""
        spec = "|".join(f"{s.name}@{s.version}" for s in self.stages)
        return hashlib.sha256(spec.encode()).hexdigest()[:12]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            try:
                out = stage.func(doc, self.settings)
            except PipelineError:
                raise
            except Exception as exc:
                raise PipelineError(f"stage {stage.name!r} failed on article {doc.id}: {exc}") from exc
            if not isinstance(out, Document):
                raise PipelineError(
                    f"stage {stage.name!r} returned {type(out).__name__}, not a Document (article {doc.id})"
                )
            doc = replace(out, stages=(*doc.stages, stage.name))
        return doc
