"""Every page an inspector or a liaison uses, at a phone's 390 px: nothing runs off the side,
no table squeezes its text to a character a line, and no button wraps its label."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import Finding, Result
from inspections.services import finding_raise_task
from tests.factories import person
from tests.inspections.kit import field_setup, make_round, visit_with

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}

# Returns what a person would call broken on a small screen; empty when the page fits.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`页面比屏幕宽：${document.documentElement.scrollWidth}px > ${width}px`);
  }
  const visible = (el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0;
  const px = (style, name) => parseFloat(style[name]) || 0;
  for (const cell of document.querySelectorAll("main td, main th")) {
    const text = cell.innerText.trim();
    if (!visible(cell) || text.length < 6) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - px(style, "paddingLeft") - px(style, "paddingRight");
    if (room < 4 * px(style, "fontSize")) {
      problems.push(`表格文字被挤成一列：「${text.slice(0, 12)}」每行不到 4 个字`);
    }
  }
  // Lines of text a button's label takes: the distinct tops of its text fragments.
  const textLines = (el) => {
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) if (rect.width > 1) tops.push(rect.top);
    }
    tops.sort((x, y) => x - y);
    const half = px(getComputedStyle(el), "fontSize") / 2;
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > half).length;
  };
  for (const button of document.querySelectorAll("main .btn")) {
    const text = button.innerText.trim();
    if (!visible(button) || !text || text.length > 12) continue;
    if (textLines(button) > 1) problems.push(`按钮文字折行：「${text}」`);
  }
  return problems;
}"""


@pytest.fixture
def field_work(city, office_clerk, inspector, liaison_a):
    field = field_setup(city)
    for site in (field.site_a, field.site_b, field.site_c):  # long addresses, as real site lists have
        site.address = f"{site.district.name}沿江大道与解放路交叉口东北角{site.name}南门"
        site.save()
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b, field.site_c],
                     name="11月市容环境卫生专项督查")
    visit = visit_with(rnd, field.site_a, inspector, [Result.MET, Result.FAILED, Result.NA, Result.FAILED],
                       notes={2: "东门两个果皮箱满溢，周边散落垃圾，保洁不及时", 4: "公益广告牌破损褪色，内容过期"})
    finding = Finding.objects.filter(visit=visit).order_by("pk").first()
    task = finding_raise_task(actor=office_clerk, finding=finding)
    return field, rnd, visit, task


def assert_fits(page, url, shot, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_be_visible()
    problems = page.evaluate(LAYOUT_PROBLEMS)
    shot(page, name)
    assert problems == [], f"{url}: {problems}"


def test_inspector_pages_fit_a_phone(field_work, login_page, page, inspector, live_server, shot):
    field, rnd, visit, task = field_work
    page.set_viewport_size(PHONE)
    login_page(inspector)
    base = live_server.url
    for name, path in [
        ("home", reverse("home")),
        ("mine", reverse("inspections:my_visits")),
        ("pick", reverse("inspections:visit_pick", args=[rnd.pk])),
        ("visit", reverse("inspections:visit_detail", args=[visit.pk])),
        ("findings", reverse("inspections:finding_list")),
        ("rounds", reverse("inspections:index")),
        ("round", reverse("inspections:round_detail", args=[rnd.pk])),
        ("rechecks", reverse("inspections:recheck_list")),
        ("reports", reverse("reports:index")),
        ("inbox", reverse("campaign:inbox")),
    ]:
        assert_fits(page, base + path, shot, name)


def test_liaison_pages_fit_a_phone(field_work, city, login_page, page, live_server, shot):
    field, rnd, visit, task = field_work
    liaison = person("liaison_bureau", "liaison", task.lead_unit, "韩志刚")
    page.set_viewport_size(PHONE)
    login_page(liaison)
    base = live_server.url
    for name, path in [("home", reverse("home")), ("tasks", reverse("tasks:index")),
                       ("task", reverse("tasks:detail", args=[task.pk])), ("sign", reverse("tasks:sign", args=[task.pk])),
                       ("inbox", reverse("campaign:inbox")), ("ledger", reverse("archives:index")),
                       ("evidence", reverse("archives:list")), ("completeness", reverse("archives:completeness"))]:
        assert_fits(page, base + path, shot, name)
    page.goto(base + reverse("tasks:sign", args=[task.pk]))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("整改中")
    assert_fits(page, base + reverse("tasks:submit", args=[task.pk]), shot, "submit")


def test_the_reports_page_does_not_point_to_the_right_on_a_phone(field_work, login_page, page, inspector,
                                                                 live_server):
    page.set_viewport_size(PHONE)
    login_page(inspector)
    page.goto(live_server.url + reverse("reports:index"))
    assert "右侧" not in page.locator("main").inner_text()
