"""One exception type for every failure a person can act on.

The CLI prints it as one line, the GUI as a message box, the engine as a ``failed`` event; all of them
show ``advice`` too, so the message says what to do next and not only what went wrong.
"""

from __future__ import annotations


class BertguiError(Exception):
    """A failure explained in plain words, with what to do about it."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip() if self.advice else self.message


class ConfigError(BertguiError):
    """A run configuration that cannot be used; the message names the key."""


class ModelError(BertguiError):
    """A base model that cannot be found, loaded or trained."""


class CorpusError(BertguiError):
    """A corpus file that cannot be read or holds no usable text."""
