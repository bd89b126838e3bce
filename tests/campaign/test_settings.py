"""Settings behave as the README says: production refuses to start without a key, and the
deployment check has no unexplained warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="false",
                        DJANGO_SECRET_KEY="x" * 30 + "-production-like-secret-key-for-check",
                        DJANGO_ALLOWED_HOSTS="cwt.example.gov.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_runs_without_secret_key():
    assert run_manage("check", DJANGO_DEBUG="true").returncode == 0
