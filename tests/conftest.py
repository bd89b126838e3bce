"""Shared fixtures: a small city and the role personas of HOUSE_STYLE.md."""

import os
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import hashers

# A fast password hasher, as Django's testing docs advise: the stock one spends most of a second
# of CPU per check by design, and the suite checks passwords hundreds of times (every failed login
# of the lockout tests, every browser login). Set before tests/factories.py hashes its password.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
hashers.get_hashers.cache_clear()
hashers.get_hashers_by_algorithm.cache_clear()

from .factories import oversee, persona, reference_city  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_configure(config):
    """Under pytest-xdist each worker has its own test database (pytest-django) and, here, its own
    Redis database as the Celery broker: a worker started by one process's test must not take the
    jobs another process's test queued."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings

    from campaign.celery import app

    url = urlsplit(settings.CELERY_BROKER_URL)._replace(path=f"/{1 + int(worker[2:]) % 15}").geturl()
    settings.REDIS_URL = settings.CELERY_BROKER_URL = os.environ["REDIS_URL"] = url
    app.conf.broker_url = url


# Modules holding single tests of half a minute or more (a whole demo city, the fault scenarios
# that wait out the shipped recovery figures). Run first, so that pytest-xdist's processes do not
# end with one of them on one core while the other core has nothing left to do.
LONG_FIRST = ["faults/test_faults.py", "campaign/test_seed_demo.py", "tasks/test_demo.py", "e2e/test_dossier.py",
              "campaign/test_backup.py"]


def pytest_collection_modifyitems(items):
    def rank(item):
        path = Path(str(item.path)).as_posix()
        return next((n for n, name in enumerate(LONG_FIRST) if path.endswith("tests/" + name)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: each module keeps its order, and its tests stay together


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def migration_presets(request):
    """Put back the rows data migrations load (26 site types, 6 time limits): a transactional
    test (browser, worker) flushes every table when it ends, and the next test would miss them."""
    if request.node.get_closest_marker("django_db") is None and not DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    preload_presets()


def preload_presets():
    """The rows of the data migrations, unless they are there."""
    from django.apps import apps

    from campaign.models import SiteType

    if not SiteType.objects.exists():
        import_module("campaign.migrations.0003_preload_site_types_and_time_limits").preload(apps, None)
        import_module("campaign.migrations.0011_default_unit_groups").seed(apps, None)


@pytest.fixture
def city(db):
    """市 → office, 东湖区 → 湖滨街道 (unit A) → 和平社区; 江北区 → 江北街道 (unit B); 市城管局."""
    return reference_city()


@pytest.fixture
def office_clerk(city):
    return persona("office", city)


@pytest.fixture
def district_clerk(city):
    """A clerk of 东湖区's own 创文办 (区创文办)."""
    return persona("district_office", city)


@pytest.fixture
def leader(city):
    """陈建华 分管 市城管局 (the office's 分管 record: a leader's scope comes from it alone)."""
    user = persona("leader", city)
    oversee(user, city.bureau)
    return user


@pytest.fixture
def liaison_a(city):
    return persona("liaison_a", city)


@pytest.fixture
def head_a(city):
    return persona("head_a", city)


@pytest.fixture
def archivist_a(city):
    return persona("archivist_a", city)


@pytest.fixture
def liaison_b(city):
    return persona("liaison_b", city)


@pytest.fixture
def inspector(city):
    return persona("inspector", city)


@pytest.fixture
def assessor(city):
    return persona("assessor", city)


@pytest.fixture
def outsider(db):
    """A user with an account but no unit and no role."""
    return persona("outsider")


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(user)`` returns the logged-in test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- browser tests ------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"), "args": CHROMIUM_ARGS}


@pytest.fixture
def shot(request):
    """Save a screenshot as a test artifact: ``shot(page, "name")``."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login_page(live_server, page):
    """Log a persona in through the real login form; returns the page."""
    from .e2e.browser import log_in

    return lambda user: log_in(page, live_server.url, user)
