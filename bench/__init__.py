"""Benchmarks: a synthetic national tree with many problems, and timings of the scoped list.

Run as modules (`python -m bench.generate`, `python -m bench.run`); see docs/performance.md.
Nothing here is imported by the application or the test suite.
"""

from __future__ import annotations

import os

# Benchmarks run with debug off, which needs a key and hosts (here and in the `manage.py`
# processes they start); these never serve anyone.
os.environ.setdefault("DUCHA_SECRET_KEY", "django-insecure-bench-only")
os.environ.setdefault("DUCHA_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DUCHA_FIELD_KEYS", "bench:YmVuY2gtb25seS1rZXkhIQ==")


def setup_django() -> None:
    """Configure Django from the environment (DATABASE_URL) before any model import."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    django.setup()
