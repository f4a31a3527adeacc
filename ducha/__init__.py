# Loaded with Django so that `@shared_task` functions bind to Ducha's Celery app.
from ducha.celery import app as celery_app

__all__ = ["celery_app"]
