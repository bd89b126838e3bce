"""核查 in headless Chromium: the office verifier opens a submitted task, writes 核查意见, attaches a
verification photo and passes it; the timeline shows the opinion and the photo. At desk width and on
a 390 px phone (inspectors verify on the street)."""

import pytest
from playwright.sync_api import expect

from tasks.models import RectificationTask, State, TaskPhoto
from tasks.services import task_transition
from tests.e2e.browser import log_in
from tests.factories import jpeg, make_task
from tests.tasks.lifecycle_kit import later, photo_upload, reference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_verifier_passes_with_an_opinion_and_a_photo(width, browser, live_server, city, office_clerk, liaison_a,
                                                     leader, media, shot):
    ref = reference(city, leader=leader)
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(10))
    task_transition(task=task, actor=liaison_a, action="sign")
    task_transition(task=task, actor=liaison_a, action="submit", note="已清理单车，设置停放区。",
                    files=[photo_upload()])

    context = browser.new_context(viewport=VIEWPORTS[width], locale="zh-CN")
    try:
        page = log_in(context.new_page(), live_server.url, office_clerk)
        page.goto(f"{live_server.url}{task.get_absolute_url()}")
        expect(page.get_by_test_id("task-state")).to_have_text("待核查")

        page.get_by_test_id("task-actions").get_by_text("核查通过销号", exact=True).click()
        form = page.get_by_test_id("action-form")
        expect(form).to_be_visible()
        expect(form).to_contain_text("核查意见")
        form.locator("textarea[name=note]").fill("现场复核：停放区划线清晰，无乱停放。")
        form.get_by_test_id("photo-file").set_input_files(
            [{"name": "check.jpg", "mimeType": "image/jpeg", "buffer": jpeg(640, 480, colour=(220, 60, 40), taken=None)}])
        expect(form.locator(".photo-preview")).to_have_count(1)
        shot(page, f"verify-form-{width}")
        form.get_by_test_id("action-submit").click()

        expect(page.get_by_test_id("task-state")).to_have_text("已销号")
        entry = page.get_by_test_id("task-timeline").locator("li[data-action=approve]")
        expect(entry).to_contain_text("核查意见：现场复核：停放区划线清晰，无乱停放。")
        photo = entry.get_by_test_id("photo-verify").locator("img")
        expect(photo).to_have_count(1)
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("img => img.naturalWidth") > 0  # the thumbnail really loads
        expect(page.get_by_test_id("verify-photos").locator("img")).to_have_count(1)
        entry.scroll_into_view_if_needed()
        shot(page, f"verified-{width}")
    finally:
        context.close()

    task = RectificationTask.objects.get(pk=task.pk)
    assert task.state == State.CLOSED
    assert TaskPhoto.objects.filter(task=task, kind=TaskPhoto.Kind.VERIFY, action__action="approve").count() == 1
