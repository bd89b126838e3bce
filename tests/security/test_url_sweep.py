"""Every URL of the project, as every persona, with other units' object ids: no leak, no 500.

The world (two units with one of everything each) is built once for this module inside a
transaction rolled back at the end; every request runs in its own rolled-back savepoint. For each
route the sweep checks, in process with Django's test client:

* anonymous GET and POST → the login page (or 404/405), nothing written;
* every persona, with ids it may reach: GET and POST with junk → never a 500 (office also tries
  junk query strings and htmx requests);
* every persona, with ids of another unit's (or otherwise out-of-scope) objects, one argument at a
  time: GET and POST → 403/404/405 only, no row inserted, updated or deleted, no file left;
* pages without arguments, read filtered by and posted with other units' ids (unit, site, task,
  ids …): nothing of theirs shown, nothing written;
* no answer to a persona ever contains a marker text of an object it may not reach (the other
  unit's task title and number, evidence caption, 暗访 round name, report titles, notifications…);
* ids that do not exist and argument values no page accepts → never a 500.
"""

import json
import logging
import os
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse

from archives.models import EvidenceItem
from campaign.models import OrgUnit

from ..factories import PERSONAS, pdf
from .sweep import Outcome, Sweeper
from .urlmap import ROUTES, TYPES, swept_routes, unmapped
from .world import build_world

pytestmark = pytest.mark.django_db

ROUTES_SWEPT = swept_routes()
SWEEP_PERSONAS = list(PERSONAS)
# One report per process when pytest-xdist spreads the sweep (each process sweeps its share).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / f"security-sweep{'-' + _WORKER if _WORKER else ''}.json"


@pytest.fixture(scope="module")
def sweeper(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("sweep-media")
    # The chase notice PDF is typeset by WeasyPrint (a second per request): the sweep is about
    # who gets an answer, so the typesetting is skipped (the tasks tests check the PDF itself).
    fast_pdf = mock.patch("weasyprint.HTML.write_pdf", return_value=pdf(1))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), fast_pdf, ExitStack() as stack:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.perf_counter()
            world = build_world(media)
            clients = {"anonymous": Client()}
            for name in [*PERSONAS, "office2"]:
                clients[name] = Client()
                clients[name].force_login(world.people[name])
            world.tokens = {name: _pending_import(clients[name]) for name in ("office", "office2")}
            world.preferred = _preferred(world)
            sweeper = Sweeper(world, clients, world.people)
            # Thousands of expected 403/404s: their log lines (with tracebacks) are noise here.
            for name in ("django.request", "django.security"):
                stack.enter_context(_quiet(name))
            sweeper.setup_seconds = time.perf_counter() - started
            yield sweeper
            _write_report(sweeper)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def _quiet(name: str):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pending_import(client) -> str:
    """An uploaded 点位清单 waiting for confirmation in this user's session."""
    export = client.get(reverse("imports:export_sites"))
    assert export.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("点位清单.xlsx", export.content)
    response = client.post(reverse("imports:upload", args=["sites"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return response.url.rstrip("/").split("/")[-1]


def _preferred(w) -> dict:
    """Per object type, the objects on the other side of the city (tried first as foreign ids)."""
    return {
        "unit": [w.city.unit_b], "site": [w.field.site_b], "responsibility": [w.duty_b], "task": [w.task_b],
        "task_photo": [w.task_photo_b], "chase_notice": [w.chase_b], "round": [w.round_2],
        "round_site": [w.round_site_2], "visit": [w.visit_b], "visit_photo": [w.visit_photo_b],
        "finding": [w.finding_b], "evidence": [w.evidence_b], "report_run": [w.run_b],
        "summary": [w.summary_b], "bulletin": [w.bulletin_b], "oversight": [w.oversight_b],
        "guardianship": [w.guardianship_b],
        "notification": list(w.people["head_b"].notifications.all()[:1]),
    }


# Totals over every instance of the module fixture (pytest may set it up more than once when it
# reorders tests across modules, e.g. around the browser tests).
TOTALS = {"requests": 0, "seconds": 0.0, "worlds": 0, "statuses": Counter(), "phases": {}, "routes": {}}


def _write_report(sweeper) -> None:
    TOTALS["requests"] += sweeper.count
    TOTALS["seconds"] += sweeper.seconds
    TOTALS["worlds"] += 1
    TOTALS["statuses"].update(sweeper.statuses)
    for phase, (n, spent) in sweeper.phases.items():
        tally = TOTALS["phases"].setdefault(phase, [0, 0.0])
        tally[0] += n
        tally[1] += spent
    TOTALS["routes"].update(sweeper.routes)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({
        "routes": len(ROUTES_SWEPT), "routes_swept": len(TOTALS["routes"]), "personas": len(SWEEP_PERSONAS) + 1,
        "requests": TOTALS["requests"], "request_seconds": round(TOTALS["seconds"], 1), "worlds": TOTALS["worlds"],
        "world_seconds": round(sweeper.setup_seconds, 1),
        "statuses": {str(k): v for k, v in sorted(TOTALS["statuses"].items())},
        "phases": {k: [n, round(t, 1)] for k, (n, t) in TOTALS["phases"].items()},
        "slowest_routes": {k: round(v, 2) for k, v in sorted(TOTALS["routes"].items(), key=lambda kv: -kv[1])[:15]},
    }, ensure_ascii=False, indent=2))


def test_every_url_argument_is_mapped_to_an_object_type():
    problems = unmapped(ROUTES_SWEPT)
    assert not problems, "\n".join(problems)


def test_the_world_has_objects_on_both_sides_for_each_scoped_type(sweeper):
    """The sweep is only as good as its world: every scoped type has an object each unit persona
    can reach and one it cannot."""
    w = sweeper.world
    used = {kind for mapping in ROUTES.values() for kind in mapping.values() if kind in TYPES}
    for kind in used:
        assert TYPES[kind].model.objects.exists(), f"世界里没有 {kind}"
    checks = {"liaison_a": ["unit", "site", "responsibility", "task", "task_photo", "chase_notice", "evidence"],
              "head_a": ["bulletin"], "leader": ["unit", "task", "visit", "summary", "report_run"],
              "inspector": ["round", "visit", "visit_photo", "finding", "round_site", "report_run"]}
    for persona, kinds in checks.items():
        user = w.people[persona]
        for kind in kinds:
            otype = TYPES[kind]
            visible = otype.visible(user)
            assert visible.exists(), f"{persona} 在 {kind} 中没有可访问的对象"
            assert visible.count() < otype.model.objects.count(), f"{persona} 能看到全部 {kind}"


def test_owners_do_reach_their_own_objects(sweeper):
    """Foreign ids answering 404 would prove nothing if own ids did too."""
    w = sweeper.world
    pages = [
        ("liaison_a", "tasks:detail", w.task_a.pk), ("archivist_a", "archives:detail", w.evidence_a.pk),
        ("inspector", "inspections:visit_detail", w.visit_a.pk), ("inspector", "reports:run_detail", w.run_a.pk),
        ("liaison_b", "tasks:detail", w.task_b.pk), ("leader", "tasks:detail", w.task_a.pk),
        ("liaison_a", "tasks:chase_detail", w.chase_a.pk), ("liaison_a", "reference:site_detail", w.field.site_a.pk),
        ("office", "reports:summary_detail", w.summary_b.pk), ("head_a", "reports:bulletin_detail", w.bulletin_a.pk),
    ]
    failures = []
    for persona, name, pk in pages:
        out = sweeper.request(persona, "get", reverse(name, args=[pk]))
        if out.status != 200:
            failures.append(str(out))
    assert not failures, "\n".join(failures)


def test_a_leader_reaches_only_what_he_oversees(sweeper):
    """The leader 分管 unit A; a standard he oversees names unit B as assisting. Unit B's task,
    photo, chase notice, evidence, site, unit page and dashboard scope stay 404 to him, while unit
    A's open (not judged by visible_to, which the sweep otherwise takes as its oracle)."""
    w = sweeper.world
    foreign = [("tasks:detail", [w.task_b.pk]), ("tasks:photo", [w.task_b.pk, w.task_photo_b.pk]),
               ("tasks:chase_detail", [w.chase_b.pk]), ("archives:detail", [w.evidence_b.pk]),
               ("archives:download", [w.evidence_b.pk]), ("reference:site_detail", [w.field.site_b.pk]),
               ("campaign:unit_detail", [w.city.unit_b.pk]), ("campaign:unit_detail", [w.city.north.pk]),
               ("reports:bulletin_detail", [w.bulletin_b.pk]), ("reports:summary_detail", [w.summary_b.pk])]
    own = [("tasks:detail", [w.task_a.pk]), ("archives:detail", [w.evidence_a.pk]),
           ("campaign:unit_detail", [w.city.unit_a.pk]), ("reference:site_detail", [w.field.site_a.pk])]
    failures = []
    for name, args in foreign:
        out = sweeper.request("leader", "get", reverse(name, args=args))
        if out.status != 404:
            failures.append(f"应为 404：{out}")
    for name, args in own:
        out = sweeper.request("leader", "get", reverse(name, args=args))
        if out.status != 200:
            failures.append(f"应为 200：{out}")
    menu = sweeper.request("leader", "get", reverse("reports:dashboard"))
    scope = sweeper.request("leader", "get", reverse("reports:dashboard") + f"?scope=unit:{w.city.unit_b.pk}")
    if scope.status != 404:
        failures.append(f"驾驶舱不应能切换到江北街道：{scope}")
    assert not failures, "\n".join(failures)
    page = sweeper.clients["leader"].get(reverse("reports:dashboard")).content.decode()
    assert menu.status == 200 and "湖滨街道" in page and "江北街道" not in page


def test_the_sweep_catches_a_planted_leak(sweeper):
    """The sweep must fail when a view forgets the scope: plant two such mistakes and look."""
    by_name = {r.name: r for r in ROUTES_SWEPT}
    everything = EvidenceItem.objects.all()
    with mock.patch("archives.selectors.upload_units", lambda user: OrgUnit.objects.all()), \
            mock.patch("archives.selectors.evidence_filter", lambda qs, filters: everything):
        upload = sweeper.check_route(by_name["archives:upload_file"], ["liaison_a"])
        listing = sweeper.check_route(by_name["archives:list"], ["liaison_a"])
    assert any("写入了" in p and "archives_evidenceitem" in p for p in upload), upload
    assert any("MARK-EVIDENCE-B" in p for p in listing), listing


def _planted_page(refuse_early: bool):
    """A stand-in for a page reading "page" and "unit": a "page" that is not plain ASCII digits is
    refused at once (400) when ``refuse_early``, else ignored; "unit" goes through int(), which
    fails on "²" and "1e3" (values that such a "page" check refuses too: only sent alone do they
    reach "unit")."""
    sent = []

    def answer(persona, method, url, data=None, **headers):
        sent.append(dict(data or {}))
        query = QueryDict(mutable=True)
        for name, value in (data or {}).items():
            query.setlist(name, value if isinstance(value, list) else [value])
        page = query.get("page")
        if refuse_early and page is not None and not (page.isascii() and page.strip().isdigit()):
            return Outcome(persona, method.upper(), url, 400)
        unit = query.get("unit")
        try:
            int(unit or 0)
        except ValueError as exc:
            return Outcome(persona, method.upper(), url, 500, error=str(exc))
        return Outcome(persona, method.upper(), url, 200)

    return answer, sent


def test_the_parameter_fuzz_finds_a_crash_behind_a_parameter_refused_early(sweeper, monkeypatch):
    """Each parameter is also tried alone when the page refused the all-at-once request: a bad
    "page" must not hide the crash a bad "unit" causes."""
    answer, sent = _planted_page(refuse_early=True)
    monkeypatch.setattr(sweeper, "request", answer)
    monkeypatch.setattr(sweeper, "_fuzz_target", lambda route, method: ("office", "/planted/", ["page", "unit"]))
    problems = sweeper.check_params(ROUTES_SWEPT[0])
    assert {"unit": "²"} in sent and any("unit" in p and "服务器错误" in p for p in problems), problems


def test_the_parameter_fuzz_sends_each_parameter_alone_only_after_a_refusal_or_a_crash(sweeper, monkeypatch):
    """A page that read every parameter and answered 200 refused nothing early: the all-at-once
    request already reached each parameter, so no parameter is sent alone with that value."""
    answer, sent = _planted_page(refuse_early=False)
    monkeypatch.setattr(sweeper, "request", answer)
    monkeypatch.setattr(sweeper, "_fuzz_target", lambda route, method: ("office", "/planted/", ["page", "unit"]))
    problems = sweeper.check_params(ROUTES_SWEPT[0])
    assert any("服务器错误" in p for p in problems)
    assert {"unit": "²"} in sent  # after the all-at-once crash, to name the parameter
    huge = "9" * 20  # int() takes it: answered 200
    assert {"page": huge, "unit": huge} in sent and {"page": huge} not in sent and {"unit": huge} not in sent


@pytest.mark.parametrize("route", ROUTES_SWEPT, ids=lambda r: r.name)
def test_url_sweep(sweeper, route):
    problems = sweeper.check_route(route, SWEEP_PERSONAS)
    assert not problems, f"{route.name}（{route.route}）:\n" + "\n".join(problems)


@pytest.mark.parametrize("route", ROUTES_SWEPT, ids=lambda r: r.name)
def test_hostile_parameters(sweeper, route):
    """Unicode digits, 20-digit and negative ids, 1e3, NUL, 5,000 characters, repeated keys: every
    query and form parameter a page reads (recorded, not listed by hand) answers without a 5xx."""
    problems = sweeper.check_params(route)
    assert not problems, f"{route.name}（{route.route}）:\n" + "\n".join(problems[:20])


def test_admin_is_closed_to_everyone_but_staff(sweeper):
    """The Django admin is not swept page by page; nobody without staff status gets in."""
    urls = [reverse("admin:index"), reverse("admin:campaign_orgunit_changelist"),
            reverse("admin:campaign_user_change", args=[sweeper.world.people["office"].pk])]
    failures = []
    for persona in ["anonymous", *SWEEP_PERSONAS]:
        for url in urls:
            out = sweeper.request(persona, "get", url)
            if not (out.status == 302 and ("/admin/login/" in out.location or "/accounts/login/" in out.location)):
                failures.append(str(out))
    assert not failures, "\n".join(failures)
