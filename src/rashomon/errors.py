"""The exceptions Rashomon raises: each says what went wrong and where."""

from __future__ import annotations


class RashomonError(Exception):
    """Base class for every error this package raises on purpose."""


class IngestError(RashomonError):
    """An input could not be read. Carries the file (and line) so the message names them."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class PipelineError(RashomonError):
    """A pipeline could not be built, or one of its stages failed; the message names the stage."""


class ModelNotFoundError(RashomonError):
    """A model's files are not where they should be; the message says how to get them."""


class StoreError(RashomonError):
    """The database could not be opened, migrated or written."""


class NotFoundError(RashomonError):
    """An id (a story, an actor) that the corpus does not hold."""


class AliasError(RashomonError):
    """A user's alias file is unreadable or contradicts itself; the message names the file and the entry."""

    def __init__(self, source: str, message: str, entry: str | None = None) -> None:
        self.source = source
        self.entry = entry
        self.message = message
        where = f"{source}: {entry}" if entry is not None else source
        super().__init__(f"{where}: {message}")
