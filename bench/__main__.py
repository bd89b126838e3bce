"""``python -m bench seed|measure|table`` (scripts/bench.sh runs seed, then measure).

- ``seed --size city|tiny``: build the benchmark city into the configured database.
- ``measure``: every city-scale figure in one run; writes ``bench/results.json`` and prints the
  table. ``--only latency,load,jobs,dossier,imports`` narrows it (the table says what was not measured).
- ``table``: print the table of an existing results file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

STEPS = ("latency", "load", "jobs", "dossier", "imports")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")
    import django

    django.setup()
    out = Path(args.out)
    if args.command == "seed":
        return seed(args, out)
    if args.command == "measure":
        return measure(args, out)
    return table(out)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("command", choices=["seed", "measure", "table"])
    parser.add_argument("--size", default="city", choices=["city", "tiny"])
    parser.add_argument("--only", default=",".join(STEPS))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_HTTP_PORT", "18443")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--photos", default="100,500", help="卷宗照片数，逗号分隔")
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--log-dir", default=os.environ.get("SVC_DIR", "/tmp"))
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "results.json"))
    return parser.parse_args(argv)


def load(out: Path) -> dict:
    return json.loads(out.read_text()) if out.exists() else {}


def save(out: Path, results: dict) -> None:
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))


def seed(args, out: Path) -> int:
    from bench import city

    print(f"生成基准城市（{args.size}）…", flush=True)
    started = time.monotonic()
    built = city.build(city.SIZES[args.size], say=lambda s: print(s, flush=True))
    built["seed_total_s"] = round(time.monotonic() - started, 1)
    save(out, {"city": built, "size": args.size})
    print("  行数：" + "，".join(f"{k} {v}" for k, v in built["counts"].items()), flush=True)
    return 0


def measure(args, out: Path) -> int:
    from bench import city, figures

    results = load(out)
    results["meta"] = meta(args)
    results.setdefault("city", {})["counts"] = city.counts()
    for step in [s for s in STEPS if s in args.only.split(",")]:
        print(f"{step} …", flush=True)
        before = os.getloadavg()[0]
        started = time.monotonic()
        try:
            results[step] = run_step(step, args)
        except Exception as exc:  # a failed step is reported in the table, not hidden
            traceback.print_exc()
            results[step] = {"error": f"{exc.__class__.__name__}: {str(exc)[:300]}"}
        results["meta"].setdefault("steps", {})[step] = {
            "seconds": round(time.monotonic() - started, 1), "load_before": round(before, 2),
            "load_after": round(os.getloadavg()[0], 2)}
    results["meta"]["load_end"] = [round(x, 2) for x in os.getloadavg()]
    table_rows = figures.rows(results)
    results["table"] = [r.as_dict() for r in table_rows]
    save(out, results)
    print_table(results, table_rows)
    return 0


def run_step(step: str, args) -> dict:
    from bench import dossier, imports, jobs, latency, load

    if step == "imports":
        return imports.run(say=lambda s: print(s, flush=True))
    if step == "latency":
        return latency.run(requests=args.requests)
    if step == "load":
        return load.run(port=args.port, workers=args.workers, seconds=args.wrk_seconds, log_dir=Path(args.log_dir))
    if step == "jobs":
        return {"chase": guarded(jobs.chase_ladder), "monthly": guarded(jobs.monthly_report)}
    photos = tuple(int(n) for n in args.photos.split(",") if n)
    return dossier.run(photo_counts=photos, pdfs=args.pdfs)


def guarded(fn) -> dict:
    try:
        return fn()
    except Exception as exc:
        traceback.print_exc()
        return {"error": f"{exc.__class__.__name__}: {str(exc)[:300]}"}


def meta(args) -> dict:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"started": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "load_start": [round(x, 2) for x in os.getloadavg()], "python": sys.version.split()[0],
            "postgresql": pg, "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "debug": settings.DEBUG, "requests_per_figure": args.requests, "wrk_seconds": args.wrk_seconds,
            "gunicorn_workers": args.workers}


def print_table(results: dict, table_rows) -> None:
    from bench import figures

    m = results.get("meta", {})
    counts = results.get("city", {}).get("counts", {})
    print("\n城市规模：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    print(f"机器：{m.get('cpus')} 核；负载（1/5/15 分钟）开始 {m.get('load_start')}，结束 {m.get('load_end')}；"
          f"PostgreSQL {m.get('postgresql')}\n")
    print(figures.render(table_rows))


def table(out: Path) -> int:
    from bench import figures

    results = load(out)
    if not results:
        print(f"没有结果文件 {out}", file=sys.stderr)
        return 1
    print_table(results, figures.rows(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
