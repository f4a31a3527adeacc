"""Where delivery beyond the app joins in (docs/decisions/0013-layers.md).

`do_notify` stores the in-app notifications; once its transaction commits it hands their ids
to every function in AFTER_NOTIFIED (the delivery channels add theirs in their app's
`ready()`). What they do never undoes or delays the notification or the action behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

AFTER_NOTIFIED: list[Callable[[Sequence[int]], None]] = []
