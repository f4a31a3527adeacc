"""A load test with faults (issue 17, item 4): the personas' mixed workload at a fixed rate
through nginx over two app servers, on the PostgreSQL primary and its streaming replica, while
one app server and then the worker are killed with SIGKILL and started again, and the replica
is stopped and started.

    .venv/bin/python -m bench.load --prepare            # a new database with the demo, 10 min
    .venv/bin/python -m bench.load --minutes 2 --rate 50    # a shorter run on it

Needs nginx (make nginx), Redis on 127.0.0.1:6379 (the broker, database 7) and runs as root
(deploy/replica.sh makes the replica on port 5433). Everything it starts runs with the
production settings of `make serve` (deploy/serve.py) under var/load, each part's log there.

The workload (bench/load/workload.py) is open-loop: requests are sent when due, whatever the
answers do, and timed from then. Afterwards every write that was answered 2xx is looked up in
the event log (none may be lost), the ledger import the worker was killed in must end with
each row imported once, the record's hash chains must verify and the rollups must equal a
fresh count. Last, reads are sent as fast as they are answered through one app server and
then through two. The report is printed and written to var/load/result.json; nothing is
asserted: docs/performance.md, "A load test with faults", records the runs.
"""
