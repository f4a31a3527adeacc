"""The Celery app for background work (daily drafts, large imports and exports).

Production sends tasks through Redis (`DUCHA_CELERY_BROKER_URL=redis://…`). The embedded
default keeps its queue in files under `var/celery/`, so `make demo` needs no server of its
own: the demo starts one worker process with the scheduler beside the web server.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")

app = Celery("ducha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _prepare_file_queue() -> None:
    from django.conf import settings

    if settings.CELERY_BROKER_URL == "filesystem://":
        for folder in ("queue", "control"):
            (settings.CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _on_configure(sender: Celery, **kwargs: object) -> None:
    _prepare_file_queue()
