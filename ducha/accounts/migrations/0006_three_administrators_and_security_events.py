"""三员分立 and the security audit trail.

The one `admin` role becomes the system administrator (orgs, users, memberships); the
security and audit administrators are new roles that nobody holds until granted. API tokens
get an expiry, a scope and the address of their last use.
"""

from django.conf import settings
from django.db import migrations, models


def admin_to_system_admin(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Membership.objects.filter(role="admin").update(role="system_admin")


def system_admin_to_admin(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Membership.objects.filter(role__in=["security_admin", "audit_admin"]).delete()
    Membership.objects.filter(role="system_admin").update(role="admin")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_password_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("office_staff", "Office staff"),
                    ("team_member", "Team member"),
                    ("unit_handler", "Unit handler"),
                    ("leader", "Leader"),
                    ("command", "Command HQ"),
                    ("discipline", "Discipline"),
                    ("system_admin", "System administrator"),
                    ("security_admin", "Security administrator"),
                    ("audit_admin", "Audit administrator"),
                ],
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(admin_to_system_admin, system_admin_to_admin, elidable=False),
    ]
