"""The Content-Security-Policy holds in a real browser: the main pages, as the office and as a
liaison, load without a single CSP violation or JavaScript error, and every page carries the
header (script-src 'self': no inline script, no inline event handlers)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tasks.services import task_transition
from tests.e2e.browser import log_in
from tests.factories import make_task
from tests.inspections.kit import field_setup, make_round, visit_with

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

# Registered before any page script runs (Playwright injects it outside the page's CSP): a
# violation is reported even when the browser would not log it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def media(settings, tmp_path, static_plain):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def town(city, office_clerk, liaison_a, inspector, media):
    """One signed task of unit A (modal actions for both: 挂账 for the office, 提交销号 for the
    liaison), one round with a submitted visit."""
    field = field_setup(city)
    task = make_task(actor=office_clerk, unit=city.unit_a, indicator=field.standards[0], site=field.site_a,
                     time_limit=field.limit, title="人民广场垃圾桶满溢")
    task_transition(task=task, actor=liaison_a, action="sign")
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    visit = visit_with(rnd, field.site_a, inspector, ["met", "failed", "met", "na"])
    return {"task": task, "round": rnd, "visit": visit}


def pages_for(persona: str, town) -> list[str]:
    common = [reverse("home"), reverse("tasks:index"), reverse("tasks:detail", args=[town["task"].pk]),
              reverse("archives:upload"), reverse("archives:index"), reverse("reference:indicators"),
              reverse("campaign:inbox")]
    if persona == "liaison":
        return [*common, reverse("archives:completeness"), reverse("tasks:chase_list")]
    return [*common, reverse("reference:matrix"), reverse("inspections:index"),
            reverse("inspections:round_detail", args=[town["round"].pk]),
            reverse("inspections:visit_detail", args=[town["visit"].pk]), reverse("reports:index"),
            reverse("reports:dashboard"), reverse("reports:summary_list"), reverse("reports:bulletin_list")]


@pytest.fixture
def watched(browser, live_server):
    """A page of its own browser context that records console errors, page errors and CSP reports."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        contexts.append(context)
        context.add_init_script(REPORT_VIOLATIONS)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda msg: page.problems.append(f"console.{msg.type}: {msg.text}")
                if msg.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        page.on("response", lambda r: page.problems.append(f"console.error: HTTP {r.status} {r.url}")
                if r.status >= 400 else None)
        return page

    yield open_page
    for context in contexts:
        context.close()


def csp_problems(page) -> list[str]:
    keep = ("Content Security Policy", "Refused to", "CSP violation", "pageerror", "console.error")
    return [p for p in page.problems if any(k in p for k in keep)]


@pytest.mark.parametrize("persona", ["office", "liaison"])
def test_pages_run_without_csp_violations_or_script_errors(persona, watched, live_server, town, office_clerk,
                                                           liaison_a, shot):
    user = office_clerk if persona == "office" else liaison_a
    page = watched()
    log_in(page, live_server.url, user)
    failures = []
    for path in pages_for(persona, town):
        page.problems.clear()
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        policy = response.headers.get("content-security-policy", "")
        if response.status != 200 or "script-src 'self'" not in policy or "unsafe-inline" in policy.split(
                "script-src", 1)[1].split(";", 1)[0]:
            failures.append(f"{path}: {response.status}, CSP: {policy!r}")
        failures += [f"{path}: {p}" for p in csp_problems(page)]
    # The task page's action modal: its form arrives by htmx and its scripts must run too.
    page.problems.clear()
    page.goto(f"{live_server.url}{reverse('tasks:detail', args=[town['task'].pk])}")
    page.locator("[data-testid=task-actions] a.btn-action").first.click()
    expect(page.get_by_test_id("action-form")).to_be_visible()
    page.wait_for_load_state("networkidle")
    shot(page, f"{persona}-action-modal")
    failures += [f"任务操作弹窗: {p}" for p in csp_problems(page)]
    assert not failures, "\n".join(failures)
