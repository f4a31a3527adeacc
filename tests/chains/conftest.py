import pytest

from ducha.celery import app


@pytest.fixture
def eager():
    """Celery runs a task inside `.delay()`, as the worker would."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
