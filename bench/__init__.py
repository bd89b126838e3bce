"""City-scale benchmarks: ``scripts/bench.sh`` runs ``python -m bench``.

Modules: ``city`` builds the benchmark city (seed_demo's steps at chosen scales plus bulk
top-ups), ``latency`` times pages in-process, ``load`` drives gunicorn with wrk, ``jobs`` times
the chase ladder and the monthly report, ``dossier`` wraps ``bench.dossier_build``,
``figures`` holds the targets and prints the table. ``urls``/``views`` add the naive baseline
view, served only when ``DJANGO_ROOT_URLCONF=bench.urls``.
"""
