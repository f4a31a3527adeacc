"""Gunicorn's settings for Ducha: `gunicorn -c deploy/gunicorn.conf.py ducha.wsgi`.

Threaded workers (gthread) behind nginx on loopback; why threads, and the measurements, are in
docs/decisions/0021-production-server.md. Every number can be changed from the environment
(the systemd unit reads /etc/ducha/ducha.env), so the file itself stays as shipped.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Only nginx talks to gunicorn: it listens on loopback (or a Unix socket, "unix:/run/…").
bind = [os.environ.get("DUCHA_WEB_BIND", "127.0.0.1:8001")]

# A request waits on PostgreSQL, LibreOffice or a streamed export for much of its time; with
# threads the process serves others meanwhile. One process per core, a few threads each.
worker_class = "gthread"
workers = _int("DUCHA_WEB_WORKERS", 2)
threads = _int("DUCHA_WEB_THREADS", 4)

# A worker whose heartbeat stops this long is killed and replaced (a thread stuck in a request
# does not stop the heartbeat: nginx's proxy_read_timeout bounds requests).
timeout = _int("DUCHA_WEB_TIMEOUT", 60)
# On SIGTERM (systemctl stop, a restart) requests in flight get this long to finish.
graceful_timeout = _int("DUCHA_WEB_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to gunicorn open (upstream keepalive); it must close them first.
keepalive = _int("DUCHA_WEB_KEEPALIVE", 75)
# A process is replaced after this many requests (staggered), so slow growth never adds up.
max_requests = _int("DUCHA_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# X-Forwarded-Proto is believed only from nginx on this machine; Django reads it through
# SECURE_PROXY_SSL_HEADER (DUCHA_BEHIND_PROXY=1) and never from anyone else.
forwarded_allow_ips = os.environ.get("DUCHA_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file lives in memory, not on a disk that may stall (gunicorn's FAQ).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# One line a request on stdout (the journal): the caller as nginx saw it, the status, the
# size, and the time in milliseconds. Empty: no access log.
accesslog = os.environ.get("DUCHA_WEB_ACCESS_LOG", "-") or None
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("DUCHA_WEB_LOG_LEVEL", "info")

# gunicorn's control socket defaults to one path per user ($HOME), which two servers of the
# same user would share; it is opened only where the deployment names a path of its own.
_control = os.environ.get("DUCHA_WEB_CONTROL_SOCKET", "")
if _control:
    control_socket = _control
else:
    control_socket_disable = True

proc_name = "ducha-web"

# The app may answer before it reads a request's body: 401 to an upload without a login, 413
# to a photo over the limit. gunicorn then drains at most 64 KiB of the rest and closes the
# connection, and nginx, still sending the body from its buffer, gets a broken pipe and answers
# 502 in place of the app's answer. The rest is read here, after the answer has gone out, up to
# a little more than nginx lets through (client_max_body_size), so the connection ends cleanly.
_DRAIN_LIMIT = _int("DUCHA_WEB_DRAIN_LIMIT", 128 * 1024 * 1024)


def post_request(worker, req, environ, resp):
    body = getattr(req, "body", None)
    if body is None:
        return
    left = _DRAIN_LIMIT
    try:
        while left > 0:
            chunk = body.read(min(256 * 1024, left))
            if not chunk:
                return
            left -= len(chunk)
    except OSError:
        return  # the peer went away: gunicorn closes the connection anyway
