"""The suite's settings: the real ones, with the key and hosts a deployment would give.

The key starts with "django-insecure-" so that `check --deploy` still flags it; Django's
test setup adds "testserver" to the hosts by itself. Subprocesses started by tests (the
Celery worker, `django.setup()` probes) inherit both through the environment.
"""

import os
import tempfile

os.environ.setdefault("DUCHA_SECRET_KEY", "django-insecure-tests-only")
os.environ.setdefault("DUCHA_ALLOWED_HOSTS", "127.0.0.1,localhost")
# An SM4 key for encrypted columns (tests only: it is published here).
os.environ.setdefault("DUCHA_FIELD_KEYS", "tests:dGVzdHMtb25seS1rZXkhIQ==")

# Messages the suite queues for a worker go to a folder of its own, never to the checkout's
# var/celery where the demo's worker would take them.
os.environ.setdefault("DUCHA_CELERY_QUEUE_DIR", tempfile.mkdtemp(prefix="ducha-tests-queue-"))

from ducha.settings import *  # noqa: F403

# A test that commits is followed by a flush: on PostgreSQL with DELETE rather than TRUNCATE,
# 50 ms instead of 3 s (ducha/core/management/commands/flush.py).
DUCHA_FLUSH_BY_DELETE = True

# Commits of the suite's PostgreSQL sessions do not wait for the disk: nothing here survives a
# crash anyway, and a committing test then takes a fraction of a millisecond, not three.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
