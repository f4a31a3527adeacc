"""The drafting job on Celery: scheduled at the configured local hour, run eagerly by the
tests, and for real through a worker on Redis (production) and on the file queue (the demo).

The worker tests need Redis on 127.0.0.1:6379 (CI starts it); without it they fail, they do
not skip. Each uses a database number and a queue name of its own, and its worker writes
only to this test run's database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection, connections

from ducha.celery import app as ducha_app
from ducha.celery import beat_schedule
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from ducha.daily.tasks import DRAFT_DAY, draft_day_task
from tests.daily.scene import busy_day
from tests.world import build_world

REDIS_URL = "redis://127.0.0.1:6379/14"
WORKER = [sys.executable, "-m", "celery", "-A", "ducha", "worker", "--pool=solo"]
# How long a worker may take to pick the job up on a busy machine before the test gives up.
PATIENCE = 90


def test_the_schedule_drafts_at_the_configured_local_time(settings):
    schedule = ducha_app.conf.beat_schedule["daily-drafts"]
    assert schedule["task"] == DRAFT_DAY == draft_day_task.name
    assert schedule["schedule"].hour == {settings.DUCHA_DAILY_DRAFT_HOUR}
    assert schedule["schedule"].minute == {settings.DUCHA_DAILY_DRAFT_MINUTE}
    assert ducha_app.conf.timezone == settings.TIME_ZONE == "Asia/Shanghai"
    settings.DUCHA_DAILY_DRAFT_HOUR, settings.DUCHA_DAILY_DRAFT_MINUTE = 19, 30
    moved = beat_schedule()["daily-drafts"]["schedule"]
    assert (moved.hour, moved.minute) == ({19}, {30})


def test_the_broker_comes_from_the_environment():
    """Production names Redis; without it the queue lives in files and needs no server."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, hasattr(s, 'CELERY_BROKER_TRANSPORT_OPTIONS'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ducha.settings"}
    env.pop("DUCHA_CELERY_BROKER_URL", None)
    default = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert default.stdout.split() == ["filesystem://", "True"]
    env["DUCHA_CELERY_BROKER_URL"] = REDIS_URL
    production = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert production.stdout.split() == [REDIS_URL, "False"]


@pytest.mark.django_db
def test_the_task_run_eagerly_drafts_the_day(world):
    scene = busy_day(world)
    result = draft_day_task.apply(args=[scene.day.isoformat()]).get()
    assert result == {"day": scene.day.isoformat(), "reports": 2, "summaries": 4, "written": 6}
    assert DailyEvent.objects.filter(actor=None).count() == 6


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            "Redis is not running on 127.0.0.1:6379; start it with `redis-server --daemonize "
            f'yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no` ({error})'
        )
    return client


def _wait_for_drafts(reports: int, summaries: int) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if (DailyReport.objects.count(), DailySummary.objects.count()) == (reports, summaries):
            return
        time.sleep(0.2)
    pytest.fail(
        f"the worker did not draft within {PATIENCE} s: "
        f"{DailyReport.objects.count()} reports, {DailySummary.objects.count()} summaries"
    )


def _close_connections(**kwargs: object) -> None:
    # The worker thread's own connection must not outlive the test database.
    connections.close_all()


@contextmanager
def _redis_app() -> Iterator[Celery]:
    app = Celery("ducha-daily-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=REDIS_URL,
        broker_transport_options={},
        task_always_eager=False,
        # A queue of this test's own: no other worker on the machine takes the job.
        task_default_queue=f"daily-test-{uuid.uuid4().hex}",
        beat_schedule={},
    )
    task_postrun.connect(_close_connections)
    try:
        yield app
    finally:
        task_postrun.disconnect(_close_connections)
        app.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_job_runs_on_a_worker_through_redis():
    client = _redis()
    scene = busy_day(build_world())
    with _redis_app() as app, start_worker(app, pool="solo", perform_ping_check=False):
        app.tasks[DRAFT_DAY].delay(scene.day.isoformat())
        _wait_for_drafts(reports=2, summaries=4)
    assert DailyEvent.objects.filter(actor=None, action="draft").count() == 6
    assert DailyReport.objects.get(team=scene.team).problems_found == 4
    client.close()


def _database_url() -> str:
    """This test run's database, for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_job_crosses_processes_through_the_file_queue(tmp_path: Path):
    """What `make demo` runs: a worker process on the file queue, the job sent from here."""
    scene = busy_day(build_world())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
        "DATABASE_URL": _database_url(),
        "DUCHA_CELERY_QUEUE_DIR": str(tmp_path),
    }
    env.pop("DUCHA_CELERY_BROKER_URL", None)
    connections.close_all()
    worker = subprocess.Popen(
        [*WORKER, "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app = Celery("ducha-daily-file-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    folders = {"data_folder_in": "queue", "data_folder_out": "queue", "control_folder": "control"}
    for folder in set(folders.values()):
        (tmp_path / folder).mkdir(exist_ok=True)
    app.conf.update(
        broker_url="filesystem://",
        broker_transport_options={key: str(tmp_path / name) for key, name in folders.items()},
        task_always_eager=False,
    )
    try:
        app.tasks[DRAFT_DAY].delay(scene.day.isoformat())
        _wait_for_drafts(reports=2, summaries=4)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=60)
        app.close()
    assert f"Task {DRAFT_DAY}" in output and "succeeded" in output, output
    assert DailyEvent.objects.filter(actor=None, action="draft").count() == 6


def test_the_scheduler_on_redis_makes_the_folder_of_its_schedule(tmp_path: Path):
    """Production names Redis, so the file queue's folders are never used; the scheduler still
    keeps its schedule in DUCHA_CELERY_QUEUE_DIR, and a folder not made yet must not stop it
    (it did: nothing periodic ran, the stale imports' resumption included)."""
    folder = tmp_path / "not-made-yet"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
        "DUCHA_CELERY_BROKER_URL": REDIS_URL,
        "DUCHA_CELERY_QUEUE_DIR": str(folder),
    }
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ducha", "beat", "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + PATIENCE
    try:
        while beat.poll() is None and time.monotonic() < deadline:
            if list(folder.glob("beat-schedule*")):
                break
            time.sleep(0.2)
        running = beat.poll() is None
    finally:
        beat.terminate()
        output, _ = beat.communicate(timeout=60)
    assert running, output
    assert list(folder.glob("beat-schedule*")), output
