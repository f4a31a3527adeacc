"""The kinds of accountability every office has (an office may add its own)."""

from django.db import migrations

BUILTIN = [
    ("interview", "约谈"),
    ("interview_warning", "约谈警告"),
    ("public_criticism", "通报批评"),
    ("ordered_self_examination", "责令检查"),
    ("admonishment", "诫勉"),
    ("suspension", "停职"),
    ("dismissal", "免职"),
    ("case_filed", "立案审查"),
    ("recommendation", "问责建议"),
]


def add_kinds(apps, schema_editor):
    kinds = apps.get_model("accountability", "AccountabilityKind")
    for position, (code, name) in enumerate(BUILTIN, start=1):
        kinds.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("accountability", "0002_events_append_only")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
