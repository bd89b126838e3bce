"""The rectification loop in headless Chromium: the office hands a problem over (with the routing
proposal), the liaison signs and submits on a phone, the office returns it, the liaison fixes it
again, the office closes it; and the extension road."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tasks.models import RectificationTask, State
from tasks.services import task_transition
from tests.e2e.browser import log_in
from tests.factories import jpeg, make_task
from tests.tasks.lifecycle_kit import reference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def as_user(browser, live_server):
    """A logged-in page per persona, each in its own browser context (own cookies)."""
    contexts = []

    def open_as(user, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm questions
        return log_in(page, live_server.url, user)

    yield open_as
    for context in contexts:
        context.close()


def photo_file(name, colour):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(640, 480, colour=colour, taken=None)}


def open_action(page, label):
    page.get_by_test_id("task-actions").get_by_text(label, exact=True).click()
    form = page.get_by_test_id("action-form")
    expect(form).to_be_visible()
    return form


def test_office_hands_over_liaison_fixes_office_returns_then_closes(as_user, live_server, city, office_clerk,
                                                                     liaison_a, leader, media, shot):
    ref = reference(city, leader=leader)

    office = as_user(office_clerk)
    office.goto(f"{live_server.url}/tasks/new/")
    office.fill("#id_title", "人民广场东侧共享单车乱停放")
    office.fill("#id_description", "东侧出入口堆积约30辆共享单车，占用盲道。")
    office.fill("#indicator-filter", "乱停")
    office.select_option("#id_indicator", str(ref.street.pk))
    expect(office.get_by_test_id("routing-rule")).to_contain_text("按测评标准")
    office.select_option("#id_site", str(ref.square.pk))
    expect(office.get_by_test_id("routing-rule")).to_contain_text("按点位类型")
    expect(office.locator("#id_lead_unit option:checked")).to_have_text("市城市管理局")
    expect(office.get_by_test_id("due-hint")).to_contain_text("按“5个工作日”计算")
    shot(office, "create-proposal")
    # The proposal is editable: this square's problem goes to the street office instead.
    office.select_option("#id_lead_unit", str(city.unit_a.pk))
    office.select_option("#id_assisting_units", [str(city.bureau.pk)])
    office.get_by_test_id("photo-file").set_input_files([photo_file("before.jpg", (200, 40, 40))])
    expect(office.locator(".photo-preview")).to_have_count(1)
    office.get_by_test_id("create-submit").click()
    expect(office.get_by_test_id("task-state")).to_have_text("待签收")
    task = RectificationTask.objects.get()
    expect(office.get_by_test_id("task-number")).to_have_text(task.number)
    expect(office.get_by_test_id("lead-unit")).to_have_text("湖滨街道")

    phone = as_user(liaison_a, PHONE)
    phone.goto(f"{live_server.url}{task.get_absolute_url()}")
    shot(phone, "phone-to-sign")
    phone.get_by_test_id("task-actions").get_by_text("签收", exact=True).click()
    expect(phone.get_by_test_id("task-state")).to_have_text("整改中")

    form = open_action(phone, "提交销号")
    form.get_by_test_id("photo-file").set_input_files([photo_file("after.jpg", (40, 160, 60))])
    expect(form.locator(".photo-preview")).to_have_count(1)
    form.locator("textarea[name=note]").fill("已清理单车，设置停放区和护栏。")
    shot(phone, "phone-submit-form")
    form.get_by_test_id("action-submit").click()
    expect(phone.get_by_test_id("task-state")).to_have_text("待核查")
    expect(phone.get_by_test_id("after-photos").locator("img")).to_have_count(1)

    office.reload()
    form = open_action(office, "退回重改")
    form.locator("textarea[name=note]").fill("盲道上仍有单车，请彻底清理。")
    form.get_by_test_id("action-submit").click()
    expect(office.get_by_test_id("task-state")).to_have_text("退回重改")
    expect(office.get_by_test_id("task-timeline")).to_contain_text("盲道上仍有单车")

    phone.reload()
    form = open_action(phone, "提交销号")
    form.get_by_test_id("photo-camera").set_input_files([photo_file("again.jpg", (30, 90, 200))])
    form.locator("textarea[name=note]").fill("盲道已清理干净，安排专人巡查。")
    form.get_by_test_id("action-submit").click()
    expect(phone.get_by_test_id("task-state")).to_have_text("待核查")
    expect(phone.get_by_test_id("after-photos").locator("img")).to_have_count(2)

    office.reload()
    form = open_action(office, "核查通过销号")
    form.get_by_test_id("action-submit").click()  # the opinion and photos are optional
    expect(office.get_by_test_id("task-state")).to_have_text("已销号")
    expect(office.get_by_test_id("task-timeline").locator("li")).to_have_count(6)
    shot(office, "closed")
    task.refresh_from_db()
    assert task.state == State.CLOSED and task.closed_on_time


def test_liaison_asks_for_more_time_and_the_office_approves(as_user, live_server, city, office_clerk, liaison_a,
                                                            leader, media, shot):
    ref = reference(city, leader=leader)
    due = timezone.localdate() + timedelta(days=10)
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=due)
    task_transition(task=task, actor=liaison_a, action="sign")
    wanted = due + timedelta(days=14)

    phone = as_user(liaison_a, PHONE)
    phone.goto(f"{live_server.url}{task.get_absolute_url()}")
    form = open_action(phone, "申请延期")
    form.locator("textarea[name=note]").fill("护栏需要招标采购，预计两周到货。")
    form.locator("input[name=proposed_date]").fill(wanted.isoformat())
    shot(phone, "phone-extension-form")
    form.get_by_test_id("action-submit").click()
    expect(phone.get_by_test_id("task-state")).to_have_text("申请延期")

    office = as_user(office_clerk)
    office.goto(f"{live_server.url}/")
    office.get_by_test_id("todo-cards").get_by_text("延期申请待审批").click()
    office.get_by_text(task.number).first.click()
    expect(office.get_by_test_id("extensions")).to_contain_text(wanted.isoformat())
    office.get_by_test_id("task-actions").get_by_text("批准延期", exact=True).click()
    expect(office.get_by_test_id("task-state")).to_have_text("整改中")
    expect(office.get_by_test_id("due-date")).to_have_text(wanted.isoformat())
    expect(office.get_by_test_id("extensions")).to_contain_text("已批准")
    shot(office, "extension-approved")

    phone.reload()
    expect(phone.get_by_test_id("due-date")).to_have_text(wanted.isoformat())
    shot(phone, "phone-new-due-date")
