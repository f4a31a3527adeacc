"""A movable clock for replaying the demo's history through the real actions.

The demo's problems were found over the past weeks. Their loop is replayed with the real
`do_*` functions, and while a step runs `django.utils.timezone.now` answers the moment of
that step: events, deadline checks, closing times, `time_to_close` and the light recorded
with a reminder all read as they did then. The clock is installed only by the demo loader,
only for the replay, and the real clock is back when `replay_clock()` exits.

Event rows take their time from the field default, which captured the original function
when the model class was built, so that default is swapped for the same span.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

from ducha.problems.models import ProblemEvent


class ReplayClock:
    def __init__(self, real_now: object) -> None:
        self._real_now = real_now
        self.moment: datetime | None = None

    def now(self) -> datetime:
        if self.moment is not None:
            return self.moment
        return self._real_now()  # type: ignore[operator]


@contextmanager
def replay_clock() -> Iterator[ReplayClock]:
    field = ProblemEvent._meta.get_field("created_at")
    saved_now, saved_default = timezone.now, field.default
    clock = ReplayClock(saved_now)
    setattr(timezone, "now", clock.now)  # noqa: B010
    field.default = clock.now
    # Django caches the default getter on the field; drop it so the swap takes effect.
    field.__dict__.pop("_get_default", None)
    try:
        yield clock
    finally:
        setattr(timezone, "now", saved_now)  # noqa: B010
        field.default = saved_default
        field.__dict__.pop("_get_default", None)
