import pytest

from ducha.celery import app
from tests.api.conftest import api_as, token_as  # noqa: F401  (shared fixtures)


@pytest.fixture
def eager():
    """Celery runs a task inside `.delay()`, as the worker would."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def committing(eager, django_capture_on_commit_callbacks):
    """Run what a request registers on commit (the hand-over to the worker), eagerly."""

    def _committing():
        return django_capture_on_commit_callbacks(execute=True)

    return _committing
