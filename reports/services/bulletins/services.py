"""Writes of the 督查通报: request one (from a task-list selection or from the chase ladder's 通报
entries), and build and publish it (the ReportRun job body).

Numbering (创文办通报〔2026〕N号, per year, no gaps): the sequence row is locked first, then the
uncirculated 通报 entries are read, the number taken, the files rendered and the entries linked
to the 通报, all in one transaction. Two builds at once queue on the lock, so an entry is never
circulated twice, and a failed build gives its number back.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import Role, User
from campaign.services import event_record, notify
from reports.models import Bulletin, ReportRun
from reports.services import runs
from reports.services.bulletins.data import (
    MAX_TASKS,
    BulletinData,
    attach_photos,
    load,
    qualifying,
    uncirculated_notices,
)
from reports.services.bulletins.render import BulletinDocument, write_docx, write_pdf
from reports.services.summaries.cases import photo_file
from reports.services.summaries.services import office_name
from tasks.models import NumberSequence
from tasks.selectors import TaskFilters, filtered_tasks

SEQUENCE_KEY = "bulletin_notice"
ADDRESSEE = "各区（县）人民政府，市直各责任单位"


class BulletinError(Exception):
    """A request that cannot make a 通报; the message is for the user and nothing was saved."""


def bulletin_number(year: int, seq: int) -> str:
    return f"创文办通报〔{year}〕{seq}号"


def _queue(bulletin: Bulletin, user: User) -> None:
    run = runs.report_run_request(kind=ReportRun.Kind.BULLETIN, parameters={"bulletin_id": bulletin.pk}, user=user,
                                  title=bulletin.title)
    runs.detach_requester(run)
    Bulletin.objects.filter(pk=bulletin.pk).update(run=run)
    bulletin.run = run


def selection_task_ids(user: User, params, today) -> list[int]:
    """The overdue or rebounded tasks among those the task list shows for ``params``."""
    tasks = filtered_tasks(user, TaskFilters.from_query(params), today)
    return list(qualifying(tasks, today).order_by("lead_unit__path", "due_date", "pk")
                .values_list("pk", flat=True)[: MAX_TASKS + 1])


@transaction.atomic
def bulletin_request_selection(*, user: User, params, today=None) -> Bulletin:
    today = today or timezone.localdate()
    ids = selection_task_ids(user, params, today)
    if not ids:
        raise BulletinError("按这些筛选条件，没有超期或反弹的问题，无需通报。请调整筛选条件后再试。")
    if len(ids) > MAX_TASKS:
        raise BulletinError(f"符合条件的问题超过 {MAX_TASKS} 件，一份通报列不下。请按单位或日期缩小筛选范围。")
    kept = {k: params.get(k) for k in params if k not in ("csrfmiddlewaretoken",) and params.get(k)}
    bulletin = Bulletin.objects.create(source=Bulletin.Source.SELECTION, requested_by=user,
                                       title=f"督查通报（按筛选条件，{len(ids)}件问题）",
                                       parameters={"filters": kept, "task_ids": ids})
    event_record(actor=user, verb="bulletin.request", target=bulletin, summary=f"申请生成{bulletin.title}")
    _queue(bulletin, user)
    return bulletin


@transaction.atomic
def bulletin_request_chase(*, user: User) -> Bulletin:
    waiting = uncirculated_notices().count()
    if not waiting:
        raise BulletinError("没有待通报的督办事项：催办后仍未整改的通报事项都已印发过督查通报。")
    bulletin = Bulletin.objects.create(source=Bulletin.Source.CHASE, requested_by=user,
                                       title=f"督查通报（督办通报事项，{min(waiting, MAX_TASKS)}件）")
    event_record(actor=user, verb="bulletin.request", target=bulletin, summary=f"申请生成{bulletin.title}")
    _queue(bulletin, user)
    return bulletin


# --- the job (reports/services/pipeline.py runs it) -----------------------------------------


def bulletin_announce_failure(run: ReportRun) -> None:
    bulletin = Bulletin.objects.filter(pk=run.parameters.get("bulletin_id")).select_related("requested_by").first()
    if bulletin is not None and bulletin.requested_by is not None:
        notify(recipients=[bulletin.requested_by], title=f"督查通报生成失败：{bulletin.title}", body=run.error,
               url=reverse("reports:bulletin_detail", args=[bulletin.pk]))


def bulletin_build(run: ReportRun, work: Path) -> None:
    bulletin = Bulletin.objects.filter(pk=run.parameters.get("bulletin_id")).first()
    if bulletin is None:
        raise runs.ReportError("对应的通报记录已删除。")
    runs.report_run_progress(run=run, progress=10, stage="整理通报事项和照片")
    _publish(run, bulletin, work, timezone.localdate())


def _items(bulletin: Bulletin) -> tuple[list[int], dict[int, str], list]:
    """Task ids, {task id: 通报 entry number} and the entries to link (chase source)."""
    if bulletin.source == Bulletin.Source.SELECTION:
        return list(bulletin.parameters.get("task_ids", [])), {}, []
    notices = list(uncirculated_notices().order_by("issued_on", "seq")[:MAX_TASKS])
    if not notices:
        raise runs.ReportError("待通报的督办事项已由另一份督查通报印发，本次无需再生成。")
    by_task = {}
    for notice in notices:
        by_task.setdefault(notice.task_id, notice.number)
    return list(by_task), by_task, notices


def intro(data: BulletinData, office: str) -> list[str]:
    end = f"{data.today.year}年{data.today.month}月{data.today.day}日"
    head = f"为推动问题整改落实到位，{office}对全市问题整改情况进行了跟踪督办。截至{end}，"
    if data.after_chase == data.total:
        head += f"共有{len(data.blocks)}个单位的{data.total}件问题经催办后仍未按期整改，列入通报事项"
    else:
        head += f"共有{len(data.blocks)}个单位的{data.total}件问题需予以通报"
    parts = []
    if data.overdue:
        parts.append(f"目前仍超过整改期限未整改到位的{data.overdue}件")
    if data.fixed_since:
        parts.append(f"超期后已整改销号的{data.fixed_since}件")
    if data.rebound:
        parts.append(f"回头看发现反弹的{data.rebound}件")
    return [head + ("，其中" + "，".join(parts) if parts else "") + "。现将有关情况通报如下。"]


REQUIREMENTS = [
    "请被通报单位主要负责人高度重视，对照问题清单逐件整改，在规定时限内整改到位并在系统中提交销号，"
    "同时将整改情况和责任落实情况书面报送市创文办。",
    "各分管领导要加强督促指导。对反复出现、整改不力的问题，市创文办将提请约谈相关单位负责人。",
    "市创文办将对通报问题逐件跟踪复查，复查结果纳入年度创建工作考核。",
]


def _title(data: BulletinData) -> str:
    kinds = "整改超期和反弹" if data.overdue and data.rebound else ("问题反弹" if data.rebound else "整改超期")
    return f"关于{len(data.blocks)}个单位{data.total}件问题{kinds}情况的通报"


@transaction.atomic
def _publish(run: ReportRun, bulletin: Bulletin, work: Path, today) -> None:
    year = bulletin.year or today.year
    NumberSequence.take(SEQUENCE_KEY, year, 0)  # lock the year's sequence first: builds queue here
    ids, notice_numbers, notices = _items(bulletin)
    data = load(ids, today, notice_numbers)
    if not data.total:
        raise runs.ReportError("通报的问题已不存在（可能已被删除），无法生成。")
    attach_photos(data, photo_file)
    seq = bulletin.seq or NumberSequence.take(SEQUENCE_KEY, year, 1)[0]
    office = office_name()
    doc = BulletinDocument(office=office, number=bulletin_number(year, seq), title=_title(data), addressee=ADDRESSEE,
                           intro=intro(data, office), requirements=REQUIREMENTS, data=data, issued=today,
                           copy_to="、".join(data.leaders) + "（分管领导）" if data.leaders else "")
    pages = write_pdf(doc, work / "bulletin.pdf")
    write_docx(doc, work / "bulletin.docx")
    names = {ext: f"reports/bulletins/{bulletin.pk}/bulletin-{bulletin.pk}.{ext}" for ext in ("pdf", "docx")}
    _save(bulletin, run, doc, (year, seq), names, ids, notices)
    runs.report_run_publish(run=run, files={name: work / f"bulletin.{ext}" for ext, name in names.items()},
                            pages=pages, notes=f"{doc.number}，另有 Word 版")
    _announce(bulletin, ids)


def _save(bulletin: Bulletin, run, doc: BulletinDocument, numbering: tuple[int, int], names: dict,
          ids: list[int], notices: list) -> None:
    data = doc.data
    Bulletin.objects.filter(pk=bulletin.pk).update(
        year=numbering[0], seq=numbering[1], number=doc.number, issued_on=doc.issued, title=doc.title[:200], pdf_file=names["pdf"],
        docx_file=names["docx"], run=run,
        figures={"units": len(data.blocks), "total": data.total, "overdue": data.overdue, "rebound": data.rebound,
                 "after_chase": data.after_chase})
    bulletin.refresh_from_db()
    bulletin.tasks.set(ids)
    if notices:
        bulletin.chase_notices.add(*notices)
    event_record(actor=None, verb="bulletin.publish", target=bulletin, summary=f"印发督查通报{doc.number}：{doc.title}")


def _announce(bulletin: Bulletin, ids: list[int]) -> None:
    """The heads and liaisons of the units named, the leaders on the tasks, and the office."""
    units = bulletin.tasks.values("lead_unit_id")
    people = set(User.objects.filter(is_active=True, memberships__unit__in=units,
                                     memberships__role__in=[Role.UNIT_HEAD, Role.LIAISON]))
    people |= set(User.objects.filter(is_active=True, overseen_tasks__in=ids))
    people |= set(User.objects.filter(is_active=True, memberships__role=Role.OFFICE))
    if bulletin.requested_by is not None:
        people.add(bulletin.requested_by)
    notify(recipients=list(people), title=f"督查通报 {bulletin.number}：{bulletin.title}",
           body="请被通报单位对照问题清单逐件整改，并书面报送整改情况。",
           url=reverse("reports:bulletin_detail", args=[bulletin.pk]))

