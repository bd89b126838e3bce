"""The one permission table: every menu entry, view and flag asks ``can(user, name)`` of it."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from campaign.access import CAN, can
from campaign.models import Role
from campaign.views.navigation import all_items, menu_for
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["campaign", "archives", "tasks", "inspections", "reports"]


def test_the_table_names_only_real_roles():
    for capability, roles in CAN.items():
        assert roles and roles <= set(Role.values), capability


def test_every_menu_entry_names_a_capability_of_the_table():
    assert all_items()
    for item in all_items():
        assert item.capability in CAN, f"{item.label}: {item.capability}"


@pytest.mark.django_db
def test_a_superuser_holds_every_capability_and_counts_as_office():
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert root.is_office
    assert all(can(root, name) for name in CAN)
    assert len(menu_for(root)) == len({i.group for i in all_items()})


@pytest.mark.django_db
def test_someone_without_a_role_holds_nothing(outsider):
    assert not any(can(outsider, name) for name in CAN)
    assert menu_for(outsider) == []


@pytest.mark.django_db
def test_a_role_holds_exactly_the_capabilities_listing_it(liaison_a, inspector):
    assert can(liaison_a, "tasks.list") and can(liaison_a, "archives.upload")
    assert not can(liaison_a, "reports.build") and not can(liaison_a, "tasks.create")
    assert can(inspector, "inspections.capture") and can(inspector, "reference.route")
    assert not can(inspector, "archives.upload") and not can(inspector, "reports.dashboard")


def test_an_unknown_capability_is_an_error_not_a_silent_no(outsider):
    with pytest.raises(KeyError):
        can(outsider, "tasks.lst")


def _product_files(suffix: str):
    for app in PRODUCT:
        yield from (p for p in (ROOT / app).rglob(f"*{suffix}") if "migrations" not in p.parts)


def test_superusers_are_handled_in_one_place():
    """``User.is_office`` and ``campaign.access.can`` cover superusers; nothing else spells it."""
    allowed = {ROOT / "campaign" / "access.py", ROOT / "campaign" / "models" / "org.py"}
    spelled = [str(p.relative_to(ROOT)) for p in _product_files(".py")
               if p not in allowed and re.search(r"is_superuser\s+or|or\s+\S*\.is_superuser", p.read_text())]
    assert not spelled


def test_templates_test_flags_not_roles():
    templates = [Path(a.path) / "templates" for a in apps.get_app_configs()] + [ROOT / "templates"]
    pattern = re.compile(r"{%[^%]*\b(is_superuser|is_office|has_role|roles)\b[^%]*%}")
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for base in templates if base.is_dir() and ROOT in base.parents
             for p in base.rglob("*.html") for m in pattern.finditer(p.read_text())]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_menu_highlights_only_the_page_the_user_is_on():
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    def active(path):
        return [e["label"] for group in menu_for(root, path) for e in group["entries"] if e["active"]]

    assert active("/reports/dashboard/") == ["领导驾驶舱"]
    assert active("/reports/") == ["报表与卷宗"]
    assert active("/") == ["工作台"]
    assert active("/tasks/12/") == ["整改任务"]
