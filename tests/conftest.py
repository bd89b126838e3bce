"""Shared fixtures: a small city and the role personas of HOUSE_STYLE.md."""

import os
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace
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

from campaign.models import OrgUnit  # noqa: E402

from .factories import OrgUnitFactory, oversee, person  # noqa: E402

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


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def migration_presets(request):
    """Put back the rows data migrations load (26 site types, 6 time limits): a transactional
    test (browser, worker) flushes every table when it ends, and the next test would miss them."""
    if request.node.get_closest_marker("django_db") is None and not DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from campaign.models import SiteType

    if not SiteType.objects.exists():
        import_module("campaign.migrations.0003_preload_site_types_and_time_limits").preload(apps, None)


@pytest.fixture
def city(db):
    """市 → office, 东湖区 → 湖滨街道 (unit A) → 和平社区; 江北区 → 江北街道 (unit B); 市城管局."""
    root = OrgUnitFactory(name="江城市", kind=OrgUnit.Kind.CITY)
    office = OrgUnitFactory(name="市创文办", kind=OrgUnit.Kind.OFFICE, parent=root)
    east = OrgUnitFactory(name="东湖区", kind=OrgUnit.Kind.DISTRICT, parent=root)
    unit_a = OrgUnitFactory(name="湖滨街道", kind=OrgUnit.Kind.STREET, parent=east)
    community_a = OrgUnitFactory(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=unit_a)
    north = OrgUnitFactory(name="江北区", kind=OrgUnit.Kind.DISTRICT, parent=root)
    unit_b = OrgUnitFactory(name="江北街道", kind=OrgUnit.Kind.STREET, parent=north)
    bureau = OrgUnitFactory(name="市城市管理局", short_name="市城管局", kind=OrgUnit.Kind.DEPARTMENT, parent=root)
    return SimpleNamespace(
        root=root, office=office, east=east, unit_a=unit_a, community_a=community_a,
        north=north, unit_b=unit_b, bureau=bureau,
    )


@pytest.fixture
def office_clerk(city):
    return person("clerk", "office", city.office, "周文明")


@pytest.fixture
def leader(city):
    """陈建华 分管 市城管局 (the office's 分管 record: a leader's scope comes from it alone)."""
    user = person("leader", "leader", city.bureau, "陈建华")
    oversee(user, city.bureau)
    return user


@pytest.fixture
def liaison_a(city):
    return person("liaison_a", "liaison", city.unit_a, "王晓东")


@pytest.fixture
def head_a(city):
    return person("head_a", "unit_head", city.unit_a, "刘志强")


@pytest.fixture
def archivist_a(city):
    return person("archivist_a", "archivist", city.unit_a, "李婷")


@pytest.fixture
def liaison_b(city):
    return person("liaison_b", "liaison", city.unit_b, "杨俊峰")


@pytest.fixture
def inspector(city):
    return person("inspector", "inspector", city.office, "赵海燕")


@pytest.fixture
def assessor(city):
    return person("assessor", "assessor", city.office, "孙佳慧")


@pytest.fixture
def outsider(db):
    """A user with an account but no unit and no role."""
    from .factories import UserFactory

    return UserFactory(username="outsider", full_name="路人甲")


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
    from .factories import PASSWORD

    def login(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_load_state()
        return page

    return login
