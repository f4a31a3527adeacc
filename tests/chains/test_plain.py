"""A row's plain values are the same whichever way they are computed.

Stored digests were computed through each field's conversion; the shortcut `plain` takes for
values already of the type a field hands back must give exactly what the conversion gives,
or every row written before it would fail verification."""

from __future__ import annotations

from datetime import UTC, datetime

from ducha.core import chains
from ducha.core.chain_check import chained_models

SAMPLES = {str: ["", "卡口未登记", "0", "true"], int: [0, 1, -7, 2**40], bool: [True, False]}


def test_every_shortcut_gives_what_the_conversion_gives():
    taken = 0
    for model in chained_models():
        for field in chains.content_fields(model):
            kind = chains._unchanged_type(field)
            for value in SAMPLES.get(kind, []):
                fast, slow = chains.plain(field, value), chains.converted(field, value)
                assert (fast, type(fast)) == (slow, type(slow)), (model, field.name, value)
                taken += 1
    # The shortcuts are met on the chained tables (their texts, numbers, foreign keys).
    met = {chains._unchanged_type(f) for m in chained_models() for f in chains.content_fields(m)}
    assert met >= {str, int}
    assert taken > 100


def test_values_of_another_type_still_go_through_the_conversion():
    field = next(
        f for f in chains.content_fields(chained_models()[0]) if chains._unchanged_type(f) is int
    )
    # What the database gives back for "5" on an integer column, and for a flag.
    assert chains.plain(field, "5") == 5
    assert chains.plain(field, True) == 1
    moment = datetime(2022, 3, 1, 8, 0, tzinfo=UTC)
    assert chains.plain(field, moment) == chains.converted(field, moment)
