"""Photos sent with an action of the loop: 改 with the evidence of the fix, 立行立改.

An action and its photos are one transaction: a photo that is refused undoes the action.
The files themselves are checked and stored by field work (`ducha.fieldwork.evidence`), a
layer above this one, which registers its store here when it loads
(`FieldworkConfig.ready`); problems never import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from ducha.core.errors import InvalidInput
from ducha.core.forms import MAX_PHOTOS, too_many_photos
from ducha.problems.models import Problem, ProblemEvent

FIELD = "photos"


class PhotoStore(Protocol):
    def __call__(
        self,
        *,
        acting_user: Any,
        problem: Problem,
        problem_event: ProblemEvent | None,
        photos: Sequence[Any],
        field: str,
    ) -> None:
        """Check and keep every photo, or raise InvalidInput naming `field`."""


_stores: list[PhotoStore] = []


def register_store(store: PhotoStore) -> None:
    if store not in _stores:
        _stores.append(store)


def check_count(photos: Sequence[Any]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(too_many_photos(), FIELD)


def attach(
    photos: Sequence[Any],
    *,
    acting_user: Any,
    problem: Problem,
    problem_event: ProblemEvent | None = None,
) -> None:
    """Keep the photos of an action, inside the action's transaction."""
    if not photos:
        return
    if not _stores:
        raise ImproperlyConfigured("No photo store is registered: is ducha.fieldwork installed?")
    for store in _stores:
        store(
            acting_user=acting_user,
            problem=problem,
            problem_event=problem_event,
            photos=photos,
            field=FIELD,
        )
