"""On a phone (390×844) an inspector checks a square: two photos and one 不符合, submitted; the
office raises a task from the finding; the task page shows the finding's photos as before-photos."""

import pytest
from playwright.sync_api import expect

from inspections.models import Finding, Visit
from tests.factories import jpeg
from tests.inspections.kit import TAKEN, field_setup, make_round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def street(city, office_clerk, inspector):
    field = field_setup(city)
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_b, field.site_a], name="11月市容督查")
    return field, rnd


def photo(name, colour):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(1600, 1200, colour=colour, gps=(30.6, 114.3), taken=TAKEN, marker=False)}


def test_inspector_captures_a_visit_and_office_raises_the_task(street, login_page, page, inspector, office_clerk,
                                                               live_server, shot):
    field, rnd = street
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 30.6001, "longitude": 114.3001})  # next to 人民广场
    page.on("dialog", lambda dialog: dialog.accept())
    login_page(inspector)
    page.goto(f"{live_server.url}/inspections/mine/")
    page.get_by_test_id("my-rounds").get_by_text("11月市容督查").click()
    expect(page.locator("[data-geo-status]")).to_contain_text("由近到远")
    first = page.get_by_test_id("open-list").locator("[data-site]").first
    expect(first).to_contain_text("人民广场")  # nearest first, though listed second by district
    expect(first).to_contain_text("米")
    shot(page, "pick-site")
    first.get_by_role("button", name="开始").click()

    expect(page.locator("h1")).to_have_text("人民广场")
    page.get_by_test_id("line-1").get_by_text("符合", exact=True).click()
    line = page.get_by_test_id("line-2")
    line.get_by_text("不符合", exact=True).click()
    line.locator("textarea").fill("东门两个果皮箱满溢，周边有散落垃圾")
    line.get_by_test_id("photo-2").set_input_files([photo("IMG_1001.jpg", (200, 60, 40)),
                                                     photo("IMG_1002.jpg", (60, 160, 40))])
    expect(line.locator(".thumb[data-photo]")).to_have_count(2, timeout=20000)
    page.get_by_test_id("line-3").get_by_text("不适用", exact=True).click()
    page.get_by_test_id("line-4").get_by_text("符合", exact=True).click()
    expect(page.locator("[data-save-status]")).to_contain_text("已保存", timeout=10000)
    expect(page.locator("[data-done]")).to_have_text("4")
    shot(page, "capture")
    page.get_by_test_id("submit-visit").click()

    expect(page.get_by_test_id("visit-rate")).to_have_text("71.4%")
    images = page.get_by_test_id("visit-lines").locator("img")
    expect(images).to_have_count(2)
    for index in range(2):  # thumbnails are made on first request (the page's CSP forbids wait_for_function)
        expect(images.nth(index)).to_have_js_property("complete", True)
    shot(page, "submitted")
    visit = Visit.objects.get(round=rnd, site=field.site_a)
    assert not visit.is_draft and visit.latitude is not None
    finding = Finding.objects.get(visit=visit)
    assert finding.photos.count() == 2
    assert all(p.gps_lat is not None for p in finding.photos.all())

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login_page(office_clerk)
    page.goto(f"{live_server.url}/inspections/findings/?state=pending")
    page.get_by_test_id(f"raise-finding-{finding.pk}").click()
    expect(page.locator(".alert-success")).to_contain_text("已交办整改任务")
    shot(page, "raised")
    page.goto(f"{live_server.url}/inspections/findings/?round={rnd.pk}")
    page.get_by_test_id("task-link").first.click()
    expect(page.get_by_test_id("photos").get_by_test_id("photo-before")).to_have_count(2)
    expect(page.locator("body")).to_contain_text("东门两个果皮箱满溢")
    shot(page, "task-before-photos")


def test_answers_survive_a_dropped_connection(street, login_page, page, inspector, live_server, shot):
    field, rnd = street
    page.set_viewport_size(PHONE)
    login_page(inspector)
    page.goto(f"{live_server.url}/inspections/rounds/{rnd.pk}/sites/")
    page.locator("[data-site]", has_text="江滩广场").get_by_role("button", name="开始").click()
    expect(page.locator("h1")).to_have_text("江滩广场")
    page.context.set_offline(True)
    line = page.get_by_test_id("line-1")
    line.get_by_text("不符合", exact=True).click()
    line.locator("textarea").fill("广场西侧地面有油污")
    expect(page.locator("[data-save-status]")).to_contain_text("网络不通", timeout=10000)
    shot(page, "offline")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cwt-visit-'))")
    assert stored
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-save-status]")).to_contain_text("已保存", timeout=10000)
    visit = Visit.objects.get(round=rnd, site=field.site_b)
    first = visit.results.get(number=1)
    assert (first.result, first.note) == ("failed", "广场西侧地面有油污")
    page.reload()
    expect(page.get_by_test_id("line-1").locator("textarea")).to_have_value("广场西侧地面有油污")
