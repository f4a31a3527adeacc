"""The production stack on this machine's loopback, in the foreground (`make serve`).

nginx terminates TLS and serves the static files; gunicorn (deploy/gunicorn.conf.py) serves the
app behind it; one Celery worker and the one scheduler run beside them. The settings are the
production ones: debug off, secure cookies, the HTTPS redirect, X-Forwarded-Proto trusted from
nginx only, hashed and precompressed static files. Before starting, the static files are
collected and the database migrated (and, with --demo, the demo loaded). Ctrl-C or SIGTERM
stops everything gracefully; if one part dies, the others are stopped and the exit status is 1.

Nothing needs root: nginx runs as the current user with its configuration, pid, logs and
temporary files under DUCHA_SERVE_DIR (var/serve), on high ports. Without a certificate
(--cert/--key) a self-signed one for 127.0.0.1 and localhost is made there with openssl.

`python deploy/serve.py site --server-name … --cert … --key …` prints the nginx site of a real
server instead, from the same template (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import pwd
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
MIME_TYPES = Path("/etc/nginx/mime.types")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# How long the parts get to finish their requests and tasks when stopped (gunicorn's graceful
# timeout is 30 s), and how long the stack may take to answer after starting.
STOP_SECONDS = 35
READY_SECONDS = 60


def render(template: Path, values: dict[str, str]) -> str:
    """The template with every {{name}} filled in; a name without a value is an error."""

    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return PLACEHOLDER.sub(fill, template.read_text())


def site(
    *,
    server_name: str,
    cert: Path,
    key: Path,
    upstreams: Sequence[str],
    http_listen: str,
    https_listen: str,
    https_port: int,
) -> str:
    """The nginx site (deploy/nginx/ducha.conf) for the configured Django settings."""
    from django.conf import settings

    return render(
        DEPLOY / "nginx" / "ducha.conf",
        {
            "server_name": server_name,
            "cert": str(cert),
            "key": str(key),
            "upstream_servers": "\n".join(
                f"    server {address} max_fails=1 fail_timeout=5s;" for address in upstreams
            ),
            "http_listen": http_listen,
            "https_listen": https_listen,
            "https_port_suffix": "" if https_port == 443 else f":{https_port}",
            "static_root": str(Path(settings.STATIC_ROOT).resolve()),
            "client_max_body_size": str(settings.DUCHA_REQUEST_MAX_BYTES),
        },
    )


def nginx_binary() -> str | None:
    """nginx's path: /usr/sbin is not on every user's PATH."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def secret_key(serve_dir: Path) -> str:
    """The loopback stack's own secret key, made once and kept in the serve directory."""
    path = serve_dir / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def loopback_environment(serve_dir: Path, web_bind: str) -> dict[str, str]:
    """The production settings on loopback. What the caller's environment sets wins, except
    debug, which is off: this is the stack as it runs in production."""
    from ducha.core.crypto import DEVELOPMENT_KEYS

    env = dict(os.environ)
    env["DUCHA_DEBUG"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "ducha.settings"
    env["DUCHA_WEB_BIND"] = web_bind
    defaults = {
        "DUCHA_SECRET_KEY": secret_key(serve_dir),
        # make demo's published key, so that the demo's database reads the same here; a real
        # deployment has keys of its own (docs/deployment.md).
        "DUCHA_FIELD_KEYS": DEVELOPMENT_KEYS,
        "DUCHA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DUCHA_BEHIND_PROXY": "1",
        "DUCHA_LOGIN_PROXY_COUNT": "1",
        "DUCHA_SECURE_COOKIES": "1",
        "DUCHA_SSL_REDIRECT": "1",
        "DUCHA_MANIFEST_STATIC": "1",
    }
    for name, value in defaults.items():
        env.setdefault(name, value)
    return env


def self_signed(serve_dir: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made once with openssl."""
    tls = serve_dir / "tls"
    cert, key = tls / "cert.pem", tls / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    tls.mkdir(mode=0o700, parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "825",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def prepare(demo: bool) -> None:
    """Static files, the database and (asked for) the demo, in this process."""
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"serve: static files collected in {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if demo:
        call_command("load_demo")
    connections.close_all()
    print(f"serve: database ready in {time.monotonic() - started:.1f} s", flush=True)


def nginx_config(
    serve_dir: Path, cert: Path, key: Path, web_binds: Sequence[str], ports: Any
) -> Path:
    if not MIME_TYPES.exists():
        sys.exit(f"serve: {MIME_TYPES} is missing; install nginx (make nginx).")
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (serve_dir / "nginx-temp" / folder).mkdir(parents=True, exist_ok=True)
    (serve_dir / "ducha-site.conf").write_text(
        site(
            server_name="127.0.0.1 localhost",
            cert=cert,
            key=key,
            upstreams=web_binds,
            http_listen=f"127.0.0.1:{ports.http_port}",
            https_listen=f"127.0.0.1:{ports.https_port}",
            https_port=ports.https_port,
        )
    )
    # A master started as root hands its workers to "nobody", who may not read the checkout.
    user = f"user {pwd.getpwuid(0).pw_name};" if os.geteuid() == 0 else ""
    conf = serve_dir / "nginx.conf"
    conf.write_text(
        render(
            DEPLOY / "nginx" / "serve.conf",
            {"serve_dir": str(serve_dir), "user": user, "mime_types": str(MIME_TYPES)},
        )
    )
    return conf


def _die_with_parent() -> None:
    """Run in each child before it starts: SIGTERM when serve.py dies, however it dies, so
    that no part outlives the stack."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Stack:
    """The running parts, each in a process group of its own: Ctrl-C reaches this process
    only, which then stops each part with its graceful signal."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.parts: list[tuple[str, subprocess.Popen[bytes], signal.Signals]] = []

    def start(self, name: str, argv: list[str], stop: signal.Signals, log: Path | None) -> None:
        output = log.open("ab") if log else None
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            process_group=0,
            preexec_fn=_die_with_parent,
        )
        self.parts.append((name, process, stop))
        print(f"serve: {name} started (pid {process.pid})" + (f", log {log}" if log else ""))

    def dead(self) -> str | None:
        for name, process, _stop in self.parts:
            if process.poll() is not None:
                return f"{name} exited with status {process.returncode}"
        return None

    def stop(self) -> None:
        """The last started first: nginx finishes its requests and closes its connections to
        gunicorn, which then has none left to wait for."""
        deadline = time.monotonic() + STOP_SECONDS
        for name, process, stop in reversed(self.parts):
            if process.poll() is None:
                process.send_signal(stop)
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"serve: {name} did not stop in {STOP_SECONDS} s; killed")
                process.kill()
                process.wait()


def wait_until_ready(stack: Stack, url: str, cert: Path, stopping: Callable[[], bool]) -> bool:
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and not stopping():
        if stack.dead():
            return False
        try:
            with urllib.request.urlopen(url, context=context, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    return False


def serve(args: argparse.Namespace) -> int:
    nginx = nginx_binary()
    if nginx is None:
        sys.exit("serve: nginx is not installed; `make nginx` installs it (Debian).")
    serve_dir = Path(args.dir).resolve()
    serve_dir.mkdir(parents=True, exist_ok=True)
    web_bind = f"127.0.0.1:{args.web_port}"
    env = loopback_environment(serve_dir, web_bind)
    os.environ.clear()
    os.environ.update(env)
    if args.cert and args.key:
        cert, key = Path(args.cert).resolve(), Path(args.key).resolve()
    else:
        cert, key = self_signed(serve_dir)
    prepare(args.demo)
    conf = nginx_config(serve_dir, cert, key, [web_bind], args)
    check = subprocess.run(
        [nginx, "-e", "stderr", "-p", str(serve_dir), "-c", str(conf), "-t", "-q"], check=False
    )
    if check.returncode:
        return 1

    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stack = Stack(env)
    celery = [str(BIN / "celery"), "-A", "ducha"]
    try:
        stack.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "ducha.wsgi"],
            signal.SIGTERM,
            None,
        )
        stack.start(
            "worker",
            [*celery, "worker", "--loglevel=INFO", f"--concurrency={args.worker_concurrency}"],
            signal.SIGTERM,
            serve_dir / "worker.log",
        )
        stack.start(
            "scheduler",
            [*celery, "beat", "--loglevel=INFO"],
            signal.SIGTERM,
            serve_dir / "beat.log",
        )
        stack.start(
            "nginx",
            [nginx, "-e", "stderr", "-p", str(serve_dir), "-c", str(conf), "-g", "daemon off;"],
            signal.SIGQUIT,
            None,
        )
        https = f"https://127.0.0.1:{args.https_port}/"
        if wait_until_ready(stack, https + "accounts/login/", cert, lambda: stopping):
            print(
                f"serve: ready at {https} (http://127.0.0.1:{args.http_port}/ redirects there; "
                f"the certificate is {cert}). Ctrl-C stops."
            )
        while not stopping:
            failure = stack.dead()
            if failure:
                print(f"serve: {failure}; stopping the others")
                return 1
            time.sleep(0.5)
        return 0
    finally:
        stack.stop()
        print("serve: stopped")


def print_site(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    args.upstream = args.upstream or ["127.0.0.1:8001"]
    print(
        site(
            server_name=args.server_name,
            cert=Path(args.cert),
            key=Path(args.key),
            upstreams=args.upstream,
            http_listen=str(args.http_port),
            https_listen=str(args.https_port),
            https_port=args.https_port,
        ),
        end="",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    parser.add_argument("--dir", default=env("DUCHA_SERVE_DIR", str(ROOT / "var" / "serve")))
    parser.add_argument(
        "--https-port", type=int, default=int(env("DUCHA_SERVE_HTTPS_PORT", "8443"))
    )
    parser.add_argument("--http-port", type=int, default=int(env("DUCHA_SERVE_HTTP_PORT", "8080")))
    parser.add_argument("--web-port", type=int, default=int(env("DUCHA_SERVE_WEB_PORT", "8001")))
    parser.add_argument("--cert", default=env("DUCHA_SERVE_CERT"))
    parser.add_argument("--key", default=env("DUCHA_SERVE_KEY"))
    parser.add_argument("--demo", action="store_true", help="load the demo (as make demo does)")
    parser.add_argument(
        "--worker-concurrency", type=int, default=int(env("DUCHA_WORKER_CONCURRENCY", "1"))
    )
    printed = commands.add_parser("site", help="print the nginx site of a real server")
    printed.add_argument("--server-name", required=True)
    printed.add_argument("--cert", required=True, help="certificate (full chain), PEM")
    printed.add_argument("--key", required=True, help="private key, PEM")
    printed.add_argument(
        "--upstream",
        action="append",
        help="an app server's address (gunicorn), once per server; 127.0.0.1:8001 if none",
    )
    printed.add_argument("--http-port", type=int, default=80)
    printed.add_argument("--https-port", type=int, default=443)
    args = parser.parse_args(argv)
    return print_site(args) if args.command == "site" else serve(args)


if __name__ == "__main__":
    sys.exit(main())
