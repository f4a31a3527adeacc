from django.db import migrations

from ducha.core.fulltext import AddFullTextIndex


class Migration(migrations.Migration):
    """The search index led by the region levels, so that a search within an office's scope
    is one index probe (docs/performance.md, "Full-text search at 1,000,000 problems")."""

    dependencies = [
        ("problems", "0016_search_text"),
    ]

    operations = [
        AddFullTextIndex(
            "problems_problem",
            scope=["province_id", "city_id", "county_id", "town_id", "village_id"],
        ),
    ]
