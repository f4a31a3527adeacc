#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL primary, on the same machine (docs/deployment.md,
# "Adding a replica"; docs/decisions/0022-read-replica.md).
#
#   deploy/replica.sh [up]     make it if missing or broken, start it if stopped, wait until it
#                              has caught up with the primary
#   deploy/replica.sh start    start an existing replica and wait until it has caught up
#   deploy/replica.sh stop     stop it (fast shutdown; its data stay)
#   deploy/replica.sh status   running / stopped / missing, and its lag; exit 0 only if running
#   deploy/replica.sh remove   stop it and delete its data directory
#
# Environment: DUCHA_REPLICA_DIR (default var/replica/data), DUCHA_REPLICA_PORT (5433),
# DUCHA_REPLICA_CATCH_UP_SECONDS (60),
# DUCHA_PRIMARY_HOST (127.0.0.1), DUCHA_PRIMARY_PORT (5432), PG_BIN (the newest
# /usr/lib/postgresql/*/bin). Run as root: the server runs as the user postgres.
#
# The primary must allow replication connections from loopback: `up` adds a trust line for
# 127.0.0.1 to its pg_hba.conf (this machine trusts loopback already) and reloads it. A real
# host uses a replication role with a password or a certificate instead (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
DIR=${DUCHA_REPLICA_DIR:-$PWD/var/replica/data}
PORT=${DUCHA_REPLICA_PORT:-5433}
PRIMARY_HOST=${DUCHA_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${DUCHA_PRIMARY_PORT:-5432}
LOG="$(dirname "$DIR")/replica.log"
CATCH_UP_SECONDS=${DUCHA_REPLICA_CATCH_UP_SECONDS:-60}

as_postgres() { runuser -u postgres -- "$@"; }
primary_sql() { psql -X -qAt -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -c "$1"; }
replica_sql() { psql -X -qAt -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }
running() { as_postgres "$PG_BIN/pg_ctl" status -D "$DIR" >/dev/null 2>&1; }
# A data directory a server can start from: a base backup that finished and says it is a standby.
complete() { [[ -f $DIR/PG_VERSION && -f $DIR/standby.signal && -f $DIR/global/pg_control ]]; }
# Whatever state the directory is in, a server running from it is stopped before it changes.
stop_server() {
    if running; then as_postgres "$PG_BIN/pg_ctl" stop -D "$DIR" -m "${1:-fast}" -w >/dev/null; fi
}

check_primary() {
    pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" || {
        echo "replica: the primary on $PRIMARY_HOST:$PRIMARY_PORT is not answering" >&2
        exit 1
    }
    local wal_level senders hba
    wal_level=$(primary_sql "SHOW wal_level")
    senders=$(primary_sql "SHOW max_wal_senders")
    if [[ $wal_level == minimal || $senders == 0 ]]; then
        primary_sql "ALTER SYSTEM SET wal_level = 'replica'"
        primary_sql "ALTER SYSTEM SET max_wal_senders = 10"
        echo "replica: the primary had wal_level=$wal_level, max_wal_senders=$senders; both are" \
            "now set (ALTER SYSTEM) but take effect only when the primary restarts:" \
            "restart it, then run this again" >&2
        exit 1
    fi
    # "all" in pg_hba.conf does not cover replication connections: they need a line of their own.
    hba=$(primary_sql "SHOW hba_file")
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$hba"; then
        printf '\n# Streaming replicas on this machine (Ducha deploy/replica.sh).\nhost replication postgres 127.0.0.1/32 trust\n' >>"$hba"
        primary_sql "SELECT pg_reload_conf()" >/dev/null
        echo "replica: added a replication line for 127.0.0.1 to $hba"
    fi
}

create() {
    echo "replica: base backup of $PRIMARY_HOST:$PRIMARY_PORT into $DIR"
    stop_server immediate
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chown postgres:postgres "$DIR" "$(dirname "$DIR")"
    chmod 700 "$DIR"
    local started=$SECONDS
    # --checkpoint=fast: the backup starts at once instead of after a spread checkpoint.
    # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
    as_postgres "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
        -D "$DIR" -X stream -R --checkpoint=fast --no-sync
    # A Debian cluster keeps postgresql.conf and pg_hba.conf under /etc, so the copy has
    # neither: the replica gets its own, small ones.
    as_postgres tee "$DIR/postgresql.conf" >/dev/null <<EOF
# A streaming replica made by deploy/replica.sh; primary_conninfo is in postgresql.auto.conf.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hba_file = '$DIR/pg_hba.conf'
ident_file = '$DIR/pg_ident.conf'
hot_standby = on
# Replies to the primary often, so that its pg_stat_replication shows a fresh lag.
wal_receiver_status_interval = 1s
hot_standby_feedback = on
shared_buffers = 64MB
max_connections = 100
logging_collector = off
EOF
    as_postgres tee "$DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
    as_postgres touch "$DIR/pg_ident.conf"
    echo "replica: base backup done in $((SECONDS - started)) s"
}

start() {
    running && return 0
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
        echo "replica: another server already listens on port $PORT (DUCHA_REPLICA_PORT)" >&2
        return 1
    fi
    # The PID file of a server that died would stop pg_ctl from starting a new one.
    rm -f "$DIR/postmaster.pid"
    touch "$LOG" && chown postgres:postgres "$LOG"
    as_postgres "$PG_BIN/pg_ctl" start -D "$DIR" -l "$LOG" -w -t 60 >/dev/null
}

wait_streaming() {
    for _ in $(seq 60); do
        [[ $(replica_sql "SELECT pg_is_in_recovery()" 2>/dev/null) == t ]] && return 0
        sleep 0.5
    done
    echo "replica: not answering as a standby on port $PORT; see $LOG" >&2
    return 1
}

# Until the replica has replayed what the primary had written when asked. A replica stopped
# for long may need WAL the primary has since recycled: it would wait for it for ever, so
# that is looked for in its log (from the byte given) and ends the wait at once.
caught_up() {
    local target since=${1:-0}
    target=$(primary_sql "SELECT pg_current_wal_lsn()")
    for _ in $(seq $((CATCH_UP_SECONDS * 2))); do
        [[ $(replica_sql "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null) == t ]] &&
            return 0
        if tail -c +"$((since + 1))" "$LOG" 2>/dev/null | grep -q "has already been removed"; then
            echo "replica: the primary no longer has the WAL this replica needs" >&2
            return 1
        fi
        sleep 0.5
    done
    echo "replica: not caught up with the primary after $CATCH_UP_SECONDS s; see $LOG" >&2
    return 1
}

log_size() { stat -c %s "$LOG" 2>/dev/null || echo 0; }

status() {
    if ! complete; then
        echo "missing: no replica in $DIR"
        return 3
    fi
    if ! running; then
        echo "stopped: $DIR (port $PORT)"
        return 3
    fi
    local lag
    lag=$(replica_sql "SELECT greatest(0, pg_wal_lsn_diff(pg_last_wal_receive_lsn(),
        pg_last_wal_replay_lsn()))::bigint" 2>/dev/null || echo "?")
    echo "running: $DIR on port $PORT, $lag bytes received and not yet replayed"
}

up() {
    check_primary
    local mark
    mark=$(log_size)
    if complete && running && wait_streaming && caught_up "$mark"; then
        status
        return 0
    fi
    if complete && ! running; then
        # A replica that does not start, answer and catch up is made again.
        mark=$(log_size)
        if start && wait_streaming && caught_up "$mark"; then
            status
            return 0
        fi
    fi
    if complete; then
        echo "replica: $DIR does not follow the primary; making it again" >&2
    fi
    create
    start
    wait_streaming
    caught_up "$(log_size)"
    status
}

case ${1:-up} in
up) up ;;
start)
    complete || { echo "replica: no replica in $DIR; run deploy/replica.sh first" >&2; exit 1; }
    mark=$(log_size)
    start
    wait_streaming
    caught_up "$mark" || { echo "replica: deploy/replica.sh makes it again" >&2; exit 1; }
    ;;
stop) stop_server ;;
status) status ;;
remove)
    stop_server
    rm -rf "$DIR"
    ;;
*)
    echo "usage: deploy/replica.sh [up|start|stop|status|remove]" >&2
    exit 2
    ;;
esac
