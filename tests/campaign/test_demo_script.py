"""scripts/run.sh runs the demo as production runs: people trying it see the portal's Chinese
error pages, not Django's English debug pages, over plain HTTP on their own machine."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from django.test import Client
for url in ("/no-such-page/", "/accounts/login/"):
    response = Client().get(url, HTTP_HOST="127.0.0.1:8000")
    print("=====", url, response.status_code)
    print(response.content.decode())
"""


def demo_defaults() -> dict[str, str]:
    """The DJANGO_* values run.sh exports when the caller sets none."""
    text = (ROOT / "scripts" / "run.sh").read_text()
    return dict(re.findall(r"^export (DJANGO_\w+)=\$\{\1:-([^}]*)\}", text, flags=re.M))


def test_the_demo_shows_chinese_error_pages(tmp_path):
    defaults = demo_defaults()
    assert defaults.get("DJANGO_DEBUG") == "false"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(defaults, DJANGO_SECRET_KEY="demo-" + "x" * 40, DJANGO_SETTINGS_MODULE="campaign.settings",
               DJANGO_STATIC_ROOT=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    missing, login = result.stdout.split("===== /accounts/login/")
    assert "/no-such-page/ 404" in missing
    assert "页面不存在" in missing and "返回工作台" in missing
    assert "Page not found" not in missing and "DEBUG = True" not in missing
    assert login.lstrip().startswith("200")  # plain HTTP: no redirect to https on a local demo
    assert "登录" in login
