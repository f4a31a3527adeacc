from django.db import migrations

from ducha.core.fulltext import AddTrigramIndex


class Migration(migrations.Migration):
    """A trigram index of the stored words, for strings the words do not match (part of a
    name or a number). Built concurrently, so offices keep writing while it builds."""

    atomic = False

    dependencies = [
        ("fieldwork", "0008_proposed_titles_and_photo_capture_details"),
    ]

    operations = [
        AddTrigramIndex("fieldwork_inspection"),
    ]
