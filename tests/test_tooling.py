"""Lint and the layers contract are part of the build (HOUSE_STYLE.md)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    result = subprocess.run([BIN / "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_apps_depend_one_way():
    result = subprocess.run([BIN / "lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_celery_code_in_a_tasks_module():
    for app in ["campaign", "tasks", "inspections", "archives", "reports"]:
        assert not (ROOT / app / "tasks.py").exists(), f"{app}/tasks.py: jobs live in jobs.py"


def test_migrations_are_up_to_date():
    result = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
