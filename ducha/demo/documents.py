"""Documents in the demo: problem lists, letters and bulletins issued from the data."""

from __future__ import annotations

from datetime import datetime

from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    """Nothing yet."""
