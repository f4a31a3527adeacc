"""A document's events, and the problems and files written at its issue, are append-only in
the database too (decision 0014). None of them is ever written for a draft: a draft's list
lives in its parameters, so nothing the application does needs to change or delete them."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents")]
    operations = [
        AppendOnly("DocumentEvent"),
        AppendOnly("DocumentProblem"),
        AppendOnly("DocumentFile"),
    ]
