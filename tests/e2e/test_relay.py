"""转办 in headless Chromium: the city hands a task to 东湖区, which passes it to 湖滨街道, which passes
it to 和平社区; the community fixes it, the street and the district verify it on the way up
(逐级核查) and the office closes it. The task page shows the chain at every step."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tasks.models import RectificationTask, State, TaskRelay
from tasks.services import task_transition
from tests.e2e.browser import log_in
from tests.factories import jpeg, make_task, persona
from tests.tasks.lifecycle_kit import later, reference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SHOTS = Path(os.environ.get("RELAY_SHOTS", "/work/wt/shots"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def step(page, label, *, fill=None, photo=False):
    """Open a step's form from the task page's buttons, fill it in and confirm it."""
    page.get_by_test_id("task-actions").get_by_text(label, exact=True).click()
    form = page.locator("form.action-form")
    expect(form).to_be_visible()
    for name, value in (fill or {}).items():
        field = form.locator(f"[name={name}]")
        if name == "to_unit":
            field.select_option(value=value)
        else:
            field.fill(value)
    if photo:
        form.get_by_test_id("photo-file").set_input_files(
            [{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": jpeg(640, 480, colour=(30, 160, 60), taken=None)}])
        expect(form.locator(".photo-preview")).to_have_count(1)
    form.get_by_test_id("action-submit").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{label}：已完成")
    expect(page.locator("form.action-form")).to_have_count(0)


def test_a_task_goes_down_two_tiers_and_back_up(browser, live_server, city, office_clerk, liaison_a, media):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ref = reference(city)
    district, community = persona("liaison_district", city), persona("liaison_community", city)
    task = make_task(ref, actor=office_clerk, unit=city.east, due=later(20), title="湖滨路垃圾桶满溢")
    task_transition(task=task, actor=district, action="sign")
    url = f"{live_server.url}{task.get_absolute_url()}"

    def as_user(user, name, *steps):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        try:
            page = log_in(context.new_page(), live_server.url, user)
            page.goto(url)
            for label, kwargs in steps:
                step(page, label, **kwargs)
            page.screenshot(path=str(SHOTS / f"relay-{name}.png"), full_page=True)
            return page.get_by_test_id("relay-chain").inner_text()
        finally:
            context.close()

    chain = as_user(district, "1-district-passed",
                    ("转办", {"fill": {"to_unit": str(city.unit_a.pk), "due_date": later(15).isoformat(),
                                       "note": "请湖滨街道办理"}}))
    assert "湖滨街道" in chain and "待签收" in chain and later(15).isoformat() in chain
    chain = as_user(liaison_a, "2-street-passed",
                    ("签收转办", {}),
                    ("转办", {"fill": {"to_unit": str(city.community_a.pk), "due_date": later(10).isoformat()}}))
    assert chain.index("东湖区") < chain.index("湖滨街道") < chain.index("和平社区")
    as_user(community, "3-community-submitted",
            ("签收转办", {}), ("提交核查", {"fill": {"note": "已清运并加装垃圾桶"}, "photo": True}))
    as_user(liaison_a, "4-street-verified", ("核查通过并上报", {"fill": {"note": "现场核实"}}))
    as_user(district, "5-district-verified", ("核查通过并上报", {}))
    assert RectificationTask.objects.get(pk=task.pk).state == State.SUBMITTED
    chain = as_user(office_clerk, "6-office-closed", ("核查通过销号", {}))
    assert "核查通过" in chain and "和平社区" in chain
    task.refresh_from_db()
    assert task.state == State.CLOSED
    assert TaskRelay.objects.filter(task=task, state="done").count() == 2
