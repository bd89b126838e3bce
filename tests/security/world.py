"""A small but complete two-unit city for the security sweep: every object type a URL names
exists once on unit A's side (湖滨街道) and once on unit B's side (江北街道), so each persona has
objects of its own and objects of another unit to try. The city, the personas, the tasks and the
files are those of tests/factories.py (the ones the conftest fixtures give every other test).

Built once per test module (see the ``sweeper`` fixture in test_url_sweep.py) inside a transaction
that is rolled back when the module ends."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archives.services import evidence_make_rendition, evidence_store
from campaign.models import CalendarDay, OrgUnit, Responsibility, UnitAlias, UnitGroup
from campaign.services import notify
from inspections.models import VisitPhoto
from reports.models import Bulletin, ReportRun, ScopeKind, Summary
from tasks.models import ChaseNotice

from ..factories import PERSONAS, guard, jpeg, make_task, oversee, pdf, person, persona, reference_city
from ..inspections.kit import field_setup, make_round, visit_with


def build_people(city) -> dict:
    """The personas of tests/conftest.py (the leader's 分管 records are made in ``_reference``),
    plus helpers that own the objects some personas must not reach."""
    people = {name: persona(name, city) for name in PERSONAS}
    people["inspector2"] = person("inspector2", "inspector", city.office, "钱立新")
    people["head_b"] = person("head_b", "unit_head", city.unit_b, "吴国强")
    people["office2"] = person("clerk2", "office", city.office, "郑晓光")
    people["leader_b"] = person("leader_b", "leader", city.bureau, "冯志远")
    return people


def photo(name: str, colour) -> SimpleUploadedFile:
    """A small photo upload, its colour making its bytes (and so its stored file) its own."""
    return SimpleUploadedFile(name, jpeg(96, 72, colour=colour, quality=80), content_type="image/jpeg")


def build_world(media_root) -> SimpleNamespace:
    city = reference_city()
    people = build_people(city)
    w = SimpleNamespace(city=city, people=people, media_root=media_root)
    w.field = field_setup(city)
    _reference(w)
    _evidence(w)
    _tasks(w)
    _inspections(w)
    _reports(w)
    w.notes = [notify(recipients=[user], title=f"给{user}的测试通知 MARK-NOTE-{user.username}", url="/")[0]
               for user in people.values()]
    w.markers = markers(w)
    return w


def markers(w) -> list[tuple[str, list]]:
    """(text, the objects whose pages may show it): a page shown to a persona who may reach none
    of those objects must not contain the text. Evidence captions name the task or the round a
    photo was taken for, so those photos carry the task's and the round's texts too (inspectors
    and assessors read all evidence by design)."""
    task_photos = [("evidence", p.evidence) for p in w.task_b.photos.all()]
    round_photos = [("evidence", p.evidence) for p in VisitPhoto.objects.filter(visit__round=w.round_2)]
    found = [("MARK-TASK-B", [("task", w.task_b), *task_photos]),
             (w.task_b.number, [("task", w.task_b), *task_photos]),
             ("MARK-EVIDENCE-B", [("evidence", w.evidence_b)]),
             (w.chase_b.number, [("chase_notice", w.chase_b)]),
             ("MARK-ROUND-2", [("round", w.round_2), *round_photos]),
             ("MARK-RUN-B", [("report_run", w.run_b)]), ("MARK-SUMMARY-B", [("summary", w.summary_b)]),
             ("MARK-BULLETIN-B", [("bulletin", w.bulletin_b)]), ("MARK-DUTY-B", [("responsibility", w.duty_b)]),
             ("MARK-OVERSIGHT-B", [("oversight", w.oversight_b)]),
             ("MARK-GUARD-B", [("guardianship", w.guardianship_b)])]
    found += [(note.title.rsplit(" ", 1)[-1], [("notification", note)]) for note in w.notes]
    return found


def _reference(w):
    city, field, leader = w.city, w.field, w.people["leader"]
    # The leader 分管 unit A only. The standard he oversees names unit B as an assisting unit: that
    # must not bring unit B (or anything of it) into his scope.
    (w.oversight_a,) = oversee(leader, city.unit_a)
    (w.oversight_b,) = oversee(w.people["leader_b"], city.unit_b)
    w.oversight_b.note = "MARK-OVERSIGHT-B"
    w.oversight_b.save()
    # The 包挂 leader looks after 和平社区 (unit A's side); another leader 包保 unit B's site.
    w.guardianship_a = guard(w.people["guardian"], community=city.community_a)
    w.guardianship_b = guard(w.people["leader_b"], site=field.site_b, note="MARK-GUARD-B")
    w.duty_a = Responsibility.objects.create(indicator=field.standards[0], lead_unit=city.unit_a, leader=leader,
                                             time_limit=field.limit)
    w.duty_a.assisting_units.set([city.unit_b])
    w.duty_b = Responsibility.objects.create(indicator=field.standards[1], lead_unit=city.unit_b,
                                             time_limit=field.limit, note="MARK-DUTY-B")
    w.holiday = CalendarDay.objects.create(date=timezone.localdate() + timedelta(days=400), kind="holiday",
                                           note="测试假日")
    w.alias = UnitAlias.objects.create(name="湖滨街道办事处", unit=city.unit_a)
    # Its own group: the default groups come from a data migration a flushing test may have removed.
    w.group, _ = UnitGroup.objects.get_or_create(name="各街道办事处", defaults={"kind": OrgUnit.Kind.STREET})


def _evidence(w):
    city, people, standard = w.city, w.people, w.field.standards[0]
    w.evidence_a = evidence_store(file=photo("活动照片.jpg", (200, 40, 40)),
                                  uploader=people["archivist_a"], unit=city.unit_a, indicators=[standard],
                                  category="活动", subject="湖滨街道志愿服务")
    w.document_a = evidence_store(file=SimpleUploadedFile("工作计划.pdf", pdf(2)),
                                  uploader=people["archivist_a"], unit=city.unit_a, indicators=[standard],
                                  category="计划", subject="湖滨街道工作计划", status="submitted")
    w.evidence_b = evidence_store(file=photo("MARK-EVIDENCE-B.jpg", (40, 200, 40)),
                                  uploader=people["liaison_b"], unit=city.unit_b, indicators=[standard],
                                  category="活动", subject="江北街道宣传活动 MARK-EVIDENCE-B", status="submitted")
    for item in (w.evidence_a, w.evidence_b):
        evidence_make_rendition(item=item)


def _tasks(w):
    city, people, field = w.city, w.people, w.field
    office, leader = people["office"], people["leader"]
    w.task_a = make_task(actor=office, unit=city.unit_a, leader=leader, indicator=field.standards[0],
                         site=field.site_a, time_limit=field.limit, title="人民广场垃圾桶满溢",
                         before_files=[photo("问题A.jpg", (90, 90, 20))])
    w.task_b = make_task(actor=office, unit=city.unit_b, indicator=field.standards[1], site=field.site_b,
                         time_limit=field.limit, title="江滩广场地面不洁 MARK-TASK-B",
                         before_files=[photo("问题B.jpg", (20, 90, 90))])
    w.task_photo_a, w.task_photo_b = w.task_a.photos.get(), w.task_b.photos.get()
    today = timezone.localdate()
    w.chase_a, w.chase_b = (
        ChaseNotice.objects.create(task=task, kind="urge", due_date=task.due_date, year=today.year, seq=9000 + n,
                                   number=f"创文办催〔{today.year}〕{9000 + n}号", issued_on=today)
        for n, task in enumerate([w.task_a, w.task_b], start=1)
    )


def _inspections(w):
    people, field, office = w.people, w.field, w.people["office"]
    inspector, inspector2 = people["inspector"], people["inspector2"]
    # Round 1: the inspector and the assessor; round 2: someone else's (foreign to both).
    w.round_1 = make_round(actor=office, inspectors=[inspector], assessors=[people["assessor"]],
                           sites=[field.site_a, field.site_b], name="11月督查")
    w.round_2 = make_round(actor=office, inspectors=[inspector2], sites=[field.site_a, field.site_b, field.site_c],
                           kind="暗访", name="12月暗访 MARK-ROUND-2")
    w.visit_a = visit_with(w.round_1, field.site_a, inspector, ["met", "failed", "met", "na"])
    w.visit_b = visit_with(w.round_2, field.site_b, inspector2, ["failed", "met", "met", "met"])
    w.round_site_1 = w.round_1.planned.get(site=field.site_b)
    w.round_site_2 = w.round_2.planned.get(site=field.site_c)
    w.visit_photo_a, w.visit_photo_b = w.visit_a.photos.get(), w.visit_b.photos.get()
    w.finding_a, w.finding_b = w.visit_a.findings.get(), w.visit_b.findings.get()


def _file(field, name: str, data: bytes, instance) -> None:
    field.save(name, ContentFile(data), save=False)
    instance.save()


def _reports(w):
    city, people = w.city, w.people
    now, today = timezone.now(), timezone.localdate()
    # Inspectors and assessors build dossiers; each sees the runs they requested.
    w.run_a = ReportRun.objects.create(kind="dossier", title="湖滨街道测评卷宗", requested_by=people["inspector"],
                                       unit=city.unit_a, status="succeeded", progress=100, finished_at=now)
    w.run_b = ReportRun.objects.create(kind="dossier", title="江北街道测评卷宗 MARK-RUN-B", requested_by=people["assessor"],
                                       unit=city.unit_b, status="succeeded", progress=100, finished_at=now)
    for run in (w.run_a, w.run_b):
        _file(run.file, "dossier.pdf", pdf(1), run)
    period = {"period_start": today - timedelta(days=7), "period_end": today - timedelta(days=1)}
    w.summary_city = Summary.objects.create(kind="weekly", scope_kind=ScopeKind.CITY, scope_name="全市",
                                            title="创文工作周报（全市）", **period)
    w.summary_b = Summary.objects.create(kind="briefing", scope_kind=ScopeKind.UNIT, scope_id=city.unit_b.pk,
                                         scope_name=city.unit_b.name, title="江北街道工作简报 MARK-SUMMARY-B", **period)
    w.bulletin_a = Bulletin.objects.create(source="selection", title="湖滨街道问题通报", requested_by=people["office"])
    w.bulletin_b = Bulletin.objects.create(source="selection", title="江北街道问题通报 MARK-BULLETIN-B",
                                           requested_by=people["office"])
    w.bulletin_a.tasks.set([w.task_a])
    w.bulletin_b.tasks.set([w.task_b])
    for obj in (w.summary_city, w.summary_b, w.bulletin_a, w.bulletin_b):
        _file(obj.pdf_file, "document.pdf", pdf(1), obj)
