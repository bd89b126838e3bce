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


PRODUCT_APPS = ["campaign", "archives", "tasks", "inspections", "reports"]
# The one app shape (docs/architecture.md): what may sit at an app's top level.
APP_SHAPE = {
    "__init__.py", "apps.py", "admin.py", "urls.py", "jobs.py",
    "models", "services", "selectors", "views", "forms", "migrations", "management", "templatetags",
}
# campaign is also the project: settings, the root URLconf, Celery and the servers' entry points,
# and the one role table every app asks.
PROJECT_FILES = {"settings.py", "celery.py", "wsgi.py", "asgi.py", "access.py"}
PACKAGES = {"models", "services", "selectors", "views", "forms"}


def top_level(app: str) -> set[str]:
    return {p.name for p in (ROOT / app).iterdir() if p.name != "__pycache__"}


def test_every_app_has_the_one_shape():
    for app in PRODUCT_APPS:
        allowed = APP_SHAPE | (PROJECT_FILES if app == "campaign" else set())
        strays = sorted(top_level(app) - allowed)
        assert not strays, f"{app}/ 顶层只放 {sorted(allowed)}；请移走 {strays}（见 docs/architecture.md）"
        missing = sorted(PACKAGES - top_level(app))
        assert not missing, f"{app}/ 缺少 {missing}"
        for package in PACKAGES:
            assert (ROOT / app / package / "__init__.py").is_file(), f"{app}/{package}/ 应是一个包"
        assert (ROOT / "templates" / app).is_dir(), f"templates/{app}/ 不存在"


def test_a_stray_module_breaks_the_shape(tmp_path, monkeypatch):
    """The check above is not vacuous: a views_*.py at an app's root is caught."""
    stray = ROOT / "tasks" / "views_extra.py"
    stray.write_text("")
    try:
        with __import__("pytest").raises(AssertionError, match="views_extra.py"):
            test_every_app_has_the_one_shape()
    finally:
        stray.unlink()


def test_no_milestone_tags_in_code():
    import re

    # "h8:" in a comment, or "issue 9" anywhere (docstrings too): the work's history lives in git.
    tag = re.compile(r"(#.*\bh\d{1,2}:|\bissue \d+|\bmilestone\b)", re.IGNORECASE)
    hits = []
    for app in [*PRODUCT_APPS, "demo", "bench", "scripts", "tests"]:
        for path in [*(ROOT / app).rglob("*.py"), *(ROOT / app).rglob("*.sh")]:
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if tag.search(line) and path.name != "test_tooling.py":
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not hits, "代码注释里不写里程碑/工单编号：\n" + "\n".join(hits)
