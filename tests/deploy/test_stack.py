"""The production stack, started as `make serve` starts it (deploy/serve.py): nginx with TLS in
front of gunicorn, a worker and the scheduler, debug off, on a fresh database of the suite's
kind (SQLite, or PostgreSQL when DATABASE_URL says so) with the demo loaded. A user logs in,
opens a list, acts and downloads through nginx over HTTPS.

Skipped only when nginx is not installed (`make nginx` installs it; `make pytest` does).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import requests

from tests.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
from serve import nginx_binary  # noqa: E402

pytestmark = pytest.mark.smoke

# Migrating a new database is most of it: 30 s on a quiet machine of two cores.
STARTUP_SECONDS = 300
SHM = Path("/dev/shm")
# The suite's world (tests/world.py) with a problem assigned to a unit, written into the
# stack's database by a process with the stack's settings. Its passwords are hashed with few
# iterations (the stack re-hashes at login), or building it would take most of the test.
WORLD = textwrap.dedent(
    """
    import django
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    django.setup()
    PBKDF2PasswordHasher.iterations = 1000
    from tests.world import build_world

    world = build_world()
    for title in ("卡口未登记过往车辆", "隔离点消毒记录缺失"):
        world.assigned(title=title)
    """
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database() -> tuple[str, object]:
    """A database of its own for the stack: a new SQLite file, or a new PostgreSQL database
    beside the suite's. Returns its URL and how to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        # In memory where there is a tmpfs: the production settings commit with
        # synchronous=FULL, and migrating a new file on disk then waits a minute for fsync.
        folder = Path(tempfile.mkdtemp(prefix="ducha-stack-", dir=SHM if SHM.is_dir() else None))
        return f"sqlite:///{folder / 'stack.sqlite3'}", lambda: shutil.rmtree(folder, True)
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_smoke"
    admin = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    admin.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl(), drop


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip(
            "nginx is not installed, so the production stack's smoke test did NOT run "
            "(`make nginx` installs it)"
        )
    tmp = tmp_path_factory.mktemp("stack")
    database_url, drop_database = _database()
    ports = {"https": _free_port(), "http": _free_port(), "web": _free_port()}
    # The environment of someone who types `make serve`: none of the suite's own settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUCHA_", "DJANGO_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        DATABASE_URL=database_url,
        DUCHA_SERVE_DIR=str(tmp / "serve"),
        DUCHA_SERVE_HTTPS_PORT=str(ports["https"]),
        DUCHA_SERVE_HTTP_PORT=str(ports["http"]),
        DUCHA_SERVE_WEB_PORT=str(ports["web"]),
        DUCHA_STATIC_ROOT=str(tmp / "static"),
        DUCHA_MEDIA_ROOT=str(tmp / "media"),
        DUCHA_CELERY_QUEUE_DIR=str(tmp / "celery"),
    )
    log = tmp / "serve.log"
    with log.open("wb") as output:
        # The command `make serve` runs, without the demo (its load takes half a minute).
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "serve.py")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"https://127.0.0.1:{ports['https']}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while "serve: ready" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            drop_database()
            pytest.fail(f"the stack did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    # The stack migrated the database; now someone to log in as, and problems to act on.
    subprocess.run(
        [sys.executable, "-c", WORLD],
        cwd=ROOT,
        env={**env, **_stack_settings(stack_dir=tmp / "serve")},
        check=True,
    )
    yield {
        "base": base,
        "cert": str(tmp / "serve" / "tls" / "cert.pem"),
        "ports": ports,
        "dir": tmp / "serve",
        "static": tmp / "static",
        "log": log,
    }
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(45)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        status = process.wait()
    drop_database()
    assert status == 0, log.read_text(errors="replace")


def _stack_settings(stack_dir: Path) -> dict[str, str]:
    """The settings serve.py gave the stack, for a process that writes into its database."""
    from ducha.core.crypto import DEVELOPMENT_KEYS

    return {
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
        "DUCHA_SECRET_KEY": (stack_dir / "secret-key").read_text().strip(),
        "DUCHA_FIELD_KEYS": DEVELOPMENT_KEYS,
        "DUCHA_ALLOWED_HOSTS": "127.0.0.1",
        "DUCHA_NOTIFICATIONS": "0",
    }


class Forms(HTMLParser):
    """Every form of a page: its action and its fields' values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append((found.get("action") or "", {}))
        elif tag in ("input", "textarea") and self.forms and found.get("name"):
            self.forms[-1][1][found["name"] or ""] = found.get("value") or ""


def forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def logged_in(stack, username: str = "county_office") -> requests.Session:
    session = requests.Session()
    session.verify = stack["cert"]
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would win over the line above
    login = f"{stack['base']}/accounts/login/"
    page = session.get(login)
    assert page.status_code == 200
    fields = next(f for action, f in forms(page.text) if "csrfmiddlewaretoken" in f)
    fields.update(username=username, password=PASSWORD)
    # A browser sends the page it came from; over HTTPS Django's CSRF check requires it.
    answer = session.post(login, data=fields, headers={"Referer": login}, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:2000]
    cookie = next(c for c in session.cookies if c.name == "sessionid")
    # Secure and HttpOnly: the production settings are the ones in force.
    assert cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    return session


def test_login_list_action_and_download_through_nginx(stack):
    session = logged_in(stack)
    base = stack["base"]

    listed = session.get(f"{base}/problems/")
    assert listed.status_code == 200
    assert listed.headers["Server"] == "nginx"
    ids = list(dict.fromkeys(re.findall(r'href="/problems/(\d+)/"', listed.text)))
    assert ids, "the list shows no problem"

    # An action through the page, as a user does it: 督 (urge) on the first problem that offers it.
    for pk in ids:
        detail = f"{base}/problems/{pk}/"
        page = session.get(detail)
        urge = [f for action, f in forms(page.text) if action.endswith(f"/{pk}/act/urge/")]
        if urge:
            break
    else:
        pytest.fail("no listed problem can be urged")
    fields = {**urge[0], "comment": "Through nginx and gunicorn."}
    done = session.post(
        f"{detail}act/urge/", data=fields, headers={"Referer": detail}, allow_redirects=False
    )
    assert done.status_code == 302 and done.headers["Location"] == f"/problems/{pk}/"
    after = session.get(detail)
    assert "Through nginx and gunicorn." in after.text
    again = [f for action, f in forms(after.text) if action.endswith(f"/{pk}/act/urge/")]
    assert int(again[0]["version"]) == int(fields["version"]) + 1

    # The Excel ledger of the list, streamed by the app through nginx.
    export = session.get(f"{base}/ledger/export/")
    assert export.status_code == 200
    assert export.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in export.headers["Content-Disposition"]
    assert export.content[:2] == b"PK" and len(export.content) > 1000


def test_health_answers_through_nginx_without_login(stack):
    answer = requests.get(f"{stack['base']}/health", verify=stack["cert"], allow_redirects=False)
    assert answer.status_code == 200 and answer.headers["Server"] == "nginx"
    assert answer.json() == {
        "primary": "ok",
        "replica": "off",
        "replica_lag_seconds": None,
        "replica_lag_bytes": None,
        "reads_on_replica": False,
    }


def test_django_sees_https_from_nginx_and_only_from_it(stack):
    # Through nginx: X-Forwarded-Proto says https, so the SSL redirect lets it through.
    through = requests.get(f"{stack['base']}/accounts/login/", verify=stack["cert"])
    assert through.status_code == 200 and not through.history
    # Straight to gunicorn nobody says so: Django redirects to https (it would loop through
    # nginx if the header did not arrive).
    web = stack["ports"]["web"]
    direct = requests.get(f"http://127.0.0.1:{web}/accounts/login/", allow_redirects=False)
    assert direct.status_code == 301
    assert direct.headers["Location"] == f"https://127.0.0.1:{web}/accounts/login/"
    # Plain HTTP to nginx is only a redirect.
    plain = requests.get(
        f"http://127.0.0.1:{stack['ports']['http']}/problems/?page=2", allow_redirects=False
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"{stack['base']}/problems/?page=2"


def test_static_files_are_served_precompressed_by_nginx(stack):
    page = requests.get(f"{stack['base']}/accounts/login/", verify=stack["cert"]).text
    css = re.search(r'href="(/static/vendor/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page does not link the hashed stylesheet"
    gzipped = requests.get(
        stack["base"] + css.group(1),
        verify=stack["cert"],
        headers={"Accept-Encoding": "gzip"},
        stream=True,
    )
    assert gzipped.status_code == 200
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "immutable" in gzipped.headers["Cache-Control"]
    # nginx answered from the file beside it, not Django (whose pages carry a CSP).
    assert "Content-Security-Policy" not in gzipped.headers
    # collectstatic wrote the .gz beside the file.
    assert (stack["static"] / css.group(1).removeprefix("/static/")).with_suffix(".css.gz").exists()
    size = int(gzipped.headers["Content-Length"])
    plain = requests.get(
        stack["base"] + css.group(1), verify=stack["cert"], headers={"Accept-Encoding": ""}
    )
    assert "Content-Encoding" not in plain.headers and len(plain.content) > 3 * size


def _errors(stack) -> str:
    """nginx's errors and gunicorn's tracebacks from the stack's log, for a failure's message."""
    lines = stack["log"].read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if "[error]" in line or "Traceback" in line)[-4000:]


def _post_headers_only(stack, path: str, length: int) -> int:
    """The status nginx answers to a POST announcing `length` bytes, before any is sent."""
    context = ssl.create_default_context(cafile=stack["cert"])
    connection = http.client.HTTPSConnection(
        "127.0.0.1", stack["ports"]["https"], context=context, timeout=10
    )
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_an_oversized_body_is_refused_by_nginx(stack):
    site = (stack["dir"] / "ducha-site.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+);", site).group(1))
    # The default: ten photos at the evidence limit (10 MiB), and a megabyte for the fields.
    assert limit == 101 * 1024 * 1024
    assert _post_headers_only(stack, "/api/v1/inspections/with-photos", limit + 1) == 413
    # A photo at the evidence limit passes nginx and reaches the app, which wants a login and
    # says so before reading the photo. Every time: gunicorn once closed such a connection with
    # the body unread, and nginx answered 502 to one upload in twenty to forty.
    statuses = [
        requests.post(
            f"{stack['base']}/api/v1/evidence",
            files={"file": ("big.jpg", b"\xff" * (10 * 1024 * 1024), "image/jpeg")},
            verify=stack["cert"],
        ).status_code
        for _ in range(20)
    ]
    assert statuses == [401] * 20, _errors(stack)


def test_a_worker_and_one_scheduler_run_beside_the_server(stack):
    deadline = time.monotonic() + 30
    worker, beat = stack["dir"] / "worker.log", stack["dir"] / "beat.log"
    while time.monotonic() < deadline:
        if "ready." in worker.read_text(errors="replace") and "Starting" in beat.read_text(
            errors="replace"
        ):
            break
        time.sleep(0.5)
    assert "ready." in worker.read_text(errors="replace")
    assert "beat: Starting" in beat.read_text(errors="replace")
    log = stack["log"].read_text(errors="replace")
    assert log.count("scheduler started") == 1
