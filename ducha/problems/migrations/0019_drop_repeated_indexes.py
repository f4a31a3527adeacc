from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# The single-column indexes a composite index already leads with.
REPEATED = {
    "problems_problem": ("province_id", "city_id", "county_id", "town_id"),
    "problems_problemevent": ("problem_id",),
}


def _level_key() -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        db_index=False,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="orgs.org",
    )


def drop(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, columns in REPEATED.items():
            found = connection.introspection.get_constraints(cursor, table)
            for name, about in found.items():
                if (
                    about["index"]
                    and not about["unique"]
                    and not about["primary_key"]
                    and list(about["columns"]) in [[column] for column in columns]
                ):
                    schema_editor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def create(apps: Any, schema_editor: Any) -> None:
    quote = schema_editor.connection.ops.quote_name
    for table, columns in REPEATED.items():
        for column in columns:
            name = quote(f"{table}_{column}_single"[:63])
            schema_editor.execute(f"CREATE INDEX {name} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    """Drop the single-column indexes of the problem's province, city, county and town and of
    an event's problem: a composite index leads with each (problem_<level>_found, the state
    indexes, event_problem_time) and serves the same lookups, while every recorded problem and
    every action paid for them (docs/performance.md, "Partitioned layouts at 10,000,000
    problems"). The indexes are dropped by name: altering the fields would rebuild the problem
    table on SQLite, and the rebuild loses the triggers that keep its search index."""

    dependencies = [
        ("orgs", "0005_natural_order"),
        ("problems", "0018_search_trigrams"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="problem", name="province", field=_level_key()),
                migrations.AlterField(model_name="problem", name="city", field=_level_key()),
                migrations.AlterField(model_name="problem", name="county", field=_level_key()),
                migrations.AlterField(model_name="problem", name="town", field=_level_key()),
                migrations.AlterField(
                    model_name="problemevent",
                    name="problem",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="problems.problem",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]
