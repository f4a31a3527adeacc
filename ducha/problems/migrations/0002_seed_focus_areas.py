"""The focus areas named in the Luohe supervision brief (三督一查), seeded for every install."""

from django.db import migrations

FOCUS_AREAS = [
    ("screening", "排查"),
    ("closed_management", "封闭管理"),
    ("medical_institutions", "医疗机构防控"),
    ("supplies", "物资和生活必需品供应"),
    ("agriculture", "农业生产"),
    ("work_resumption", "企业复工"),
    ("school_opening", "学校开学准备"),
    ("policy_implementation", "政策落实"),
    ("publicity", "宣传"),
    ("public_requests", "群众诉求办理"),
    ("cadre_performance", "党组织和干部履职"),
    ("work_style", "工作作风"),
    ("accountability", "追责问责"),
]


def seed(apps, schema_editor):
    FocusArea = apps.get_model("problems", "FocusArea")
    for position, (code, name) in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.update_or_create(code=code, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    FocusArea = apps.get_model("problems", "FocusArea")
    FocusArea.objects.filter(code__in=[code for code, _ in FOCUS_AREAS], problems=None).delete()


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
