"""python -m scripts.faults [worker_kill] [redis_down] [pg_restart] [orphan_race] [--json PATH] [--keep]

Runs the fault scenarios (all by default) one after the other, each on its own throw-away
PostgreSQL + Redis, prints a PASS/FAIL line per scenario and a table, and exits non-zero if any
failed. Ports: FAULTS_PGPORT / FAULTS_REDIS_PORT, or free ones. --keep leaves the run folder
(logs, data) for a post-mortem; it is removed otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import textwrap
from pathlib import Path

from .stack import env_for, free_port, remove_tree


def _ports() -> tuple[int, int]:
    pgport = int(os.environ.get("FAULTS_PGPORT") or free_port())
    redis_port = int(os.environ.get("FAULTS_REDIS_PORT") or free_port())
    while redis_port == pgport:
        redis_port = free_port()
    return pgport, redis_port


def _table(outcomes) -> str:
    lines = [f"{'scenario':<12} {'result':<6} {'time':>7}  what happened", "-" * 100]
    for o in outcomes:
        lines.append(f"{o.name:<12} {'PASS' if o.passed else 'FAIL':<6} {o.seconds:>6.1f}s  {o.title}")
        for item in o.facts + [f"PROBLEM: {p}" for p in o.problems]:
            lines.append(textwrap.fill(item, 100, initial_indent=" " * 29 + "· ", subsequent_indent=" " * 31))
    lines.append("-" * 100)
    lines.append(f"{sum(o.passed for o in outcomes)}/{len(outcomes)} passed in {sum(o.seconds for o in outcomes):.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.faults", description=__doc__.split("\n\n")[1])
    parser.add_argument("names", nargs="*", metavar="scenario",
                        help="worker_kill, redis_down, pg_restart, orphan_race (default: all)")
    parser.add_argument("--json", type=Path, help="write the outcomes to this file")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, data)")
    args = parser.parse_args(argv)
    unknown = set(args.names) - {"worker_kill", "redis_down", "pg_restart", "orphan_race"}
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")

    pgport, redis_port = _ports()
    run_dir = Path(tempfile.mkdtemp(prefix="cwt-faults."))
    media = run_dir / "media"
    os.environ.update(env_for(pgport, redis_port, media))
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so every scenario's cleanup runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    import django

    django.setup()
    from . import scenarios

    names = args.names or list(scenarios.SCENARIOS)
    outcomes = []
    try:
        for name in names:
            outcomes.append(scenarios.run(name, run_dir=run_dir, media=media, pgport=pgport, redis_port=redis_port))
    finally:
        if args.keep:
            print(f"run folder kept: {run_dir}")
        else:
            remove_tree(run_dir)
    print(_table(outcomes))
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in outcomes], ensure_ascii=False, indent=2))
    return 0 if outcomes and all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
