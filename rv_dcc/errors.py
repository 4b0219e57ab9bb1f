"""The root of rv_dcc's one error tree.

Every error rv_dcc raises on purpose derives from :class:`RvDccError`, so a caller (the panel,
the CLI) can catch one class and show ``str(error)``: a sentence written for the person at the
keyboard. Subsystems define their own branches (``rv_dcc.api.errors`` for the farm client).
Pure standard library: importing it costs nothing.
"""
from typing import Optional


class RvDccError(Exception):
    """Base of every rv_dcc error.

    ``message`` says what happened; ``hint`` says what to do about it. ``str()`` joins them.
    Neither may ever contain a secret (access key, signature, transfer password).
    """

    #: Default advice when the raiser gives none; subclasses override.
    default_hint: str = ""

    def __init__(self, message: str, *, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        if self.hint and self.hint not in self.message:
            return f"{self.message} — {self.hint}"
        return self.message
