"""Errors that actions raise; views and the API turn them into 4xx answers."""

from __future__ import annotations


class ActionError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ActionError):
    """Bad input for an action; names the field at fault."""

    status = 422


class TransitionRefused(ActionError):
    """The action is not possible in the problem's current state."""

    status = 409


class StaleVersion(TransitionRefused):
    """The object changed since the caller read it (an If-Match or a form's version)."""

    status = 412
