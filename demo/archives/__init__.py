"""Demo 台账: a believable set of evidence for the demo city's units, linked to the 材料审核
standards the responsibility matrix gives them, in mixed states, with realistic gaps.

Deterministic (seeded random), idempotent (skips if the archive already holds 计划/制度/活动…
evidence; task photos do not count), and
quick: files are small and generated in memory, rows are bulk-inserted. 湖滨街道 (the demo
archivist's street) files for the duties of 东湖区 above it, so its 台账 is not empty.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from archives.models import EvidenceItem, SubmissionForm
from archives.selectors import MAIN_CATEGORIES, material_standards, standard_duties, tree_key
from campaign.models import Event, Framework, Indicator, Notification, OrgUnit, User
from demo.archives import files as demo_files

Status = EvidenceItem.Status
DEMO_STREET, DEMO_DISTRICT = "湖滨街道", "东湖区"
PLACES = ["新时代文明实践站", "社区党群服务中心", "中山广场", "人民路与解放路交叉口", "湖滨公园", "街道会议室",
          "东湖小学", "湖滨农贸市场", "社区文化广场", "志愿服务站"]
PEOPLE = ["街道干部、社区志愿者 20 余人", "社区网格员、居民代表 30 余人", "团员青年志愿者 15 人",
          "街道党工委书记、各社区书记", "学生及家长 40 余人", "市场管理员、商户代表"]
RETURN_REASONS = ["照片说明缺少人物和事由，请补充。", "所附计划为去年版本，请上传本年度计划。",
                  "签到表不清晰，请重新扫描后上传。", "材料与所选测评标准不符，请核对关联的标准。"]
SUPPORT_ITEMS = {"1", "3"}  # 测评项目 whose standards 湖滨街道 also files for
STATUS_WEIGHTS = [(Status.APPROVED, 0.66), (Status.SUBMITTED, 0.15), (Status.RETURNED, 0.08), (Status.DRAFT, 0.11)]


@dataclass
class Plan:
    unit: OrgUnit
    standard: Indicator
    category: str
    kind: str  # photo / pdf / docx / xlsx
    status: str
    when: datetime
    uploader: User | None
    item: EvidenceItem | None = None
    extra: dict = field(default_factory=dict)


def seed(ctx) -> None:
    framework = Framework.active()
    if framework is None:
        ctx.stdout.write("    没有启用的测评体系，跳过台账资料演示数据。")
        return
    if EvidenceItem.objects.filter(category__in=MAIN_CATEGORIES).exists():
        ctx.stdout.write("    已有台账资料，跳过。")
        return
    rng = random.Random(20261125)
    plans = _plan(rng, framework, ctx.scale)
    with transaction.atomic():
        _write(rng, plans)
        _write_corrections(rng, plans)
        _write_history(rng, plans)
        forms = _write_submission_forms(plans)
    counts = {s: sum(1 for p in plans if p.status == s) for s in Status.values}
    kinds = {k: sum(1 for p in plans if p.kind == k) for k in ("photo", "pdf", "docx", "xlsx")}
    ctx.stdout.write(
        f"    台账资料 {len(plans)} 份（照片 {kinds['photo']}、PDF {kinds['pdf']}、Office {kinds['docx'] + kinds['xlsx']}）："
        f"已审核 {counts['approved']}，待审核 {counts['submitted']}，退回 {counts['returned']}，草稿 {counts['draft']}；"
        f"测评材料提交表 {forms} 份"
    )


def _uploaders() -> dict[int, User]:
    """Each unit's archivist, else its liaison."""
    chosen: dict[int, User] = {}
    for role in ("liaison", "archivist"):
        for user in User.objects.filter(memberships__role=role).order_by("username").prefetch_related("memberships"):
            for membership in user.memberships.all():
                if membership.role == role:
                    chosen[membership.unit_id] = user
    return chosen


def _plan(rng: random.Random, framework: Framework, scale: int) -> list[Plan]:
    duties = standard_duties(framework)
    standards = sorted(material_standards(framework), key=tree_key)
    units = {u.pk: u for u in OrgUnit.objects.all()}
    by_name = {u.name: u for u in units.values()}
    street, district = by_name.get(DEMO_STREET), by_name.get(DEMO_DISTRICT)
    pairs = [(s, units[uid]) for s in standards for uid in sorted(duties.get(s.pk, ())) if uid in units]
    favoured = [p for p in pairs if p[1] == district]
    others = [p for p in pairs if p[1] != district]
    rng.shuffle(others)
    chosen = favoured + others[: 60 * scale]  # the rest of the matrix has filed nothing yet
    if street is not None:
        # The street also files material for city-wide campaigns it takes part in (志愿服务, 文明实践 …).
        chosen += [(s, street) for s in standards if s.code.split(".")[0] in SUPPORT_ITEMS][:6]
    uploaders = _uploaders()
    plans = []
    for standard, unit in chosen:
        stage = rng.choices(["done", "working", "started"], weights=[55, 30, 15])[0]
        categories = list(standard.evidence_categories)
        if stage == "working":
            categories = [c for c in categories if rng.random() < 0.7]
        elif stage == "started":
            categories = rng.sample(categories, k=min(len(categories), rng.choice([1, 2])))
        for category in categories:
            filer = street if unit == district and street is not None and rng.random() < 0.7 else unit
            for kind in _kinds(rng, category):
                status = Status.APPROVED if stage == "done" else _status(rng)
                plans.append(Plan(unit=filer, standard=standard, category=category, kind=kind,
                                  status=status, when=_moment(rng), uploader=uploaders.get(filer.pk)))
    return plans


def _kinds(rng: random.Random, category: str) -> list[str]:
    if category == "阵地照片":  # a photo category: photos only (models.category_problem)
        return ["photo"] * rng.choice([1, 1, 2])
    if category == "活动":
        return ["photo"] * rng.choice([1, 1, 2]) + (["pdf"] if rng.random() < 0.3 else [])
    if category == "志愿者名册":
        return ["xlsx"]
    if category in ("计划", "会议纪要"):
        return ["pdf"]
    if category == "制度和机制":
        return ["docx" if rng.random() < 0.1 else "pdf"]
    if category == "保障措施":
        return ["pdf" if rng.random() < 0.6 else "photo"]
    return ["photo" if rng.random() < 0.5 else "pdf"]


def _status(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for status, weight in STATUS_WEIGHTS:
        total += weight
        if roll < total:
            return status
    return Status.APPROVED


def _moment(rng: random.Random) -> datetime:
    now = timezone.localtime()
    start = now - timedelta(days=300)
    moment = start + timedelta(days=rng.randint(0, 290), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
    return moment.replace(hour=8 + moment.hour % 10, second=0, microsecond=0)


def _titles(plan: Plan) -> tuple[str, str]:
    name, unit = plan.standard.name, plan.unit.short_name or plan.unit.name
    year = plan.when.year
    return {
        "计划": (f"{unit}{year}年{name}工作计划", f"关于印发《{unit}{year}年{name}工作计划》的通知"),
        "制度和机制": (f"{unit}{name}工作制度", f"{unit}关于建立{name}长效机制的通知"),
        "活动": (f"{name}主题活动", f"关于开展{name}主题活动的通知"),
        "保障措施": (f"{name}经费和人员保障", f"关于保障{name}工作经费的批复"),
        "特色和成效": (f"{name}工作成效", f"{unit}创文工作简报（第{plan.when.month}期）"),
        "会议纪要": (f"{name}专题会议纪要", f"{unit}{name}专题会议纪要"),
        "阵地照片": (f"{name}阵地", f"{name}阵地建设情况"),
        "志愿者名册": (f"{unit}志愿者名册", f"{unit}志愿者名册"),
    }.get(plan.category, (f"{name}{plan.category}", f"{name}{plan.category}"))


def _file(rng: random.Random, plan: Plan) -> tuple[bytes, str, str, str, dict]:
    """(bytes, extension, mime, kind, facts) of one planned item."""
    photo_title, doc_title = _titles(plan)
    issuer = plan.unit.name + ("办事处" if plan.unit.name.endswith("街道") else "")
    if plan.kind == "photo":
        gps = (30.593 + rng.uniform(-0.05, 0.05), 114.305 + rng.uniform(-0.06, 0.06))
        shot = demo_files.photo(rng, photo_title, f"{plan.when:%Y年%-m月%-d日} {plan.unit.name}", plan.when,
                                rng.choice([1, 1, 6, 6, 8, 3]), gps)
        facts = {"width": shot.width, "height": shot.height, "gps_lat": round(gps[0], 6), "gps_lon": round(gps[1], 6),
                 "print": shot.print_jpeg, "thumb": shot.thumb_jpeg, "subject": photo_title}
        return shot.original, "jpg", "image/jpeg", "photo", facts
    if plan.kind == "pdf":
        pages = rng.choice([1, 1, 2, 2, 3])
        text = [f"为深入推进全国文明城市创建工作，落实“{plan.standard.name}”测评标准要求，结合本单位实际，制定如下安排。",
                plan.standard.text or plan.standard.name,
                "一、提高思想认识，明确责任分工。二、细化工作措施，落实经费保障。三、加强督促检查，确保取得实效。",
                "各相关科室和社区要按照职责分工抓好落实，工作中遇到的问题及时报告。"]
        data = demo_files.pdf(doc_title, issuer, text * 2, plan.when, pages, header=plan.category != "特色和成效")
        return data, "pdf", "application/pdf", "document", {"page_count": pages, "subject": doc_title}
    names = [f"志愿者{i:02d}" for i in range(1, 13)]
    if plan.kind == "docx":
        data = demo_files.docx(f"{doc_title}签到表", names)
        return data, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office", \
            {"subject": f"{doc_title}签到表"}
    data = demo_files.xlsx(doc_title, names)
    return data, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office", \
        {"subject": doc_title}


def _save(name: str, data: bytes) -> None:
    path = Path(settings.MEDIA_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _build(rng: random.Random, plan: Plan, reviewer: User | None, numbers: dict) -> EvidenceItem:
    data, ext, mime, kind, facts = _file(rng, plan)
    sha = hashlib.sha256(data).hexdigest()
    item = EvidenceItem(
        original_name=f"{facts['subject'][:60]}.{ext}" if kind != "photo" else f"IMG_{plan.when:%Y%m%d_%H%M%S}.jpg",
        sha256=sha, size=len(data), mime=mime, kind=kind, unit=plan.unit, uploader=plan.uploader,
        category=plan.category, status=plan.status, year=plan.when.year, subject=facts["subject"],
        width=facts.get("width"), height=facts.get("height"), page_count=facts.get("page_count"),
        gps_lat=facts.get("gps_lat"), gps_lon=facts.get("gps_lon"),
    )
    item.file.name = f"evidence/{sha[:2]}/{sha}.{ext}"
    _save(item.file.name, data)
    if kind == "photo":
        item.taken_at = plan.when
        item.print_file.name, item.thumb_file.name = f"renditions/{sha[:2]}/{sha}.jpg", f"renditions/{sha[:2]}/{sha}-thumb.jpg"
        _save(item.print_file.name, facts["print"])
        _save(item.thumb_file.name, facts["thumb"])
        complete = plan.status != Status.DRAFT or rng.random() < 0.5
        item.place = rng.choice(PLACES) if complete else ""
        item.people = rng.choice(PEOPLE) if complete else ""
        item.reason = f"开展{plan.standard.name}相关工作，落实测评标准 {plan.standard.code} 要求。" if complete else ""
    else:
        item.formed_on = plan.when.date() - timedelta(days=rng.randint(0, 5))
    if plan.status in (Status.APPROVED, Status.RETURNED):
        item.reviewed_by, item.reviewed_at = reviewer, plan.when + timedelta(days=rng.randint(1, 6))
    if plan.status == Status.RETURNED:
        item.return_reason = rng.choice(RETURN_REASONS)
    if plan.status == Status.APPROVED:
        key = (plan.unit.pk, plan.when.year)
        numbers[key] = numbers.get(key, 0) + 1
        item.archive_number = f"{plan.unit.short_name or plan.unit.name[:4]}-{plan.when.year}-{numbers[key]:03d}"
    return item


def _write(rng: random.Random, plans: list[Plan]) -> None:
    reviewer = User.objects.filter(username="office").first()
    numbers: dict = {}
    items = [_build(rng, plan, reviewer, numbers) for plan in plans]
    EvidenceItem.objects.bulk_create(items, batch_size=500)
    for plan, item in zip(plans, items, strict=True):
        plan.item = item
        item.uploaded_at = plan.when + timedelta(minutes=rng.randint(5, 600))
    EvidenceItem.objects.bulk_update(items, ["uploaded_at"], batch_size=500)
    through = EvidenceItem.indicators.through
    through.objects.bulk_create([through(evidenceitem_id=p.item.pk, indicator_id=p.standard.pk) for p in plans],
                                batch_size=1000)


def _write_corrections(rng: random.Random, plans: list[Plan]) -> None:
    """A few returned photos were corrected: a new version supersedes the old one, which stays."""
    returned = [p for p in plans if p.status == Status.RETURNED and p.kind == "photo"][:6]
    for old in returned:
        new = Plan(unit=old.unit, standard=old.standard, category=old.category, kind="photo",
                   status=Status.SUBMITTED if rng.random() < 0.5 else Status.APPROVED,
                   when=old.item.reviewed_at + timedelta(days=1), uploader=old.uploader)
        item = _build(rng, new, User.objects.filter(username="office").first(), {})
        item.supersedes = old.item
        item.save()
        item.uploaded_at = new.when
        EvidenceItem.objects.filter(pk=item.pk).update(uploaded_at=new.when)
        item.indicators.add(old.standard)
        new.item, new.extra["corrects"] = item, old.item
        plans.append(new)


def _write_history(rng: random.Random, plans: list[Plan]) -> None:
    """Audit events with their real dates, and inbox notices for returned items."""
    content_type = ContentType.objects.get_for_model(EvidenceItem)
    reviewer = User.objects.filter(username="office").first()
    events, notices, notice_times = [], [], []
    for plan in plans:
        item = plan.item
        uploaded = item.uploaded_at
        rows = [(plan.uploader, "evidence.upload", f"上传{item.get_kind_display()}：{item.original_name}", uploaded)]
        if "corrects" in plan.extra:
            old = plan.extra["corrects"]
            rows.append((plan.uploader, "evidence.supersede", f"作为《{old.title}》的更正版本（原资料编号 {old.pk}）",
                         uploaded))
            events.append((Event(actor=plan.uploader, verb="evidence.superseded", target_type=content_type,
                                 target_id=str(old.pk), target_repr=str(old)[:200], unit=old.unit,
                                 summary=f"被更正版本《{item.title}》替代（新资料编号 {item.pk}），原资料保留"), uploaded))
        if plan.status != Status.DRAFT:
            rows.append((plan.uploader, "evidence.submit", "提交审核", uploaded + timedelta(minutes=rng.randint(10, 180))))
        if plan.status == Status.APPROVED:
            rows.append((reviewer, "evidence.approve", "审核通过", item.reviewed_at or plan.when))
        if plan.status == Status.RETURNED:
            rows.append((reviewer, "evidence.return", f"退回：{item.return_reason}", item.reviewed_at))
            if plan.uploader is not None:
                notices.append(Notification(recipient=plan.uploader, title=f"台账资料被退回：{item.title}"[:200],
                                            body=f"退回原因：{item.return_reason}", url=f"/archives/items/{item.pk}/",
                                            read_at=None if rng.random() < 0.6 else item.reviewed_at))
                notice_times.append(item.reviewed_at)
        for actor, verb, summary, moment in rows:
            events.append((Event(actor=actor, verb=verb, target_type=content_type, target_id=str(item.pk),
                                 target_repr=str(item)[:200], summary=summary[:500], unit=item.unit), moment))
    created = Event.objects.bulk_create([e for e, _m in events], batch_size=1000)
    for event, (_e, moment) in zip(created, events, strict=True):
        event.created_at = moment
    Event.objects.bulk_update(created, ["created_at"], batch_size=1000)
    for notice, moment in zip(Notification.objects.bulk_create(notices), notice_times, strict=True):
        notice.created_at = moment
    Notification.objects.bulk_update(notices, ["created_at"])


def _write_submission_forms(plans: list[Plan]) -> int:
    """Units have filled in the 提交表 for most standards with at least half of the material approved
    (a street's material counts for its district, as in the completeness check)."""
    duties = standard_duties(Framework.active())
    units = {u.pk: u for u in OrgUnit.objects.all()}
    approved: dict[tuple[int, int], set[str]] = {}
    for plan in plans:
        if plan.status != Status.APPROVED:
            continue
        for owner in duties.get(plan.standard.pk, ()):
            if plan.unit.is_within(units[owner]):
                approved.setdefault((owner, plan.standard.pk), set()).add(plan.category)
    standards = {p.standard.pk: p.standard for p in plans}
    authors = _uploaders()
    forms = []
    for (uid, sid), categories in sorted(approved.items()):
        required = set(standards[sid].evidence_categories)
        if len(categories & required) * 2 < len(required) or (uid + sid) % 4 == 0:
            continue  # not started yet
        complete = required <= categories
        forms.append(SubmissionForm(
            unit=units[uid], indicator=standards[sid], updated_by=authors.get(uid),
            conclusion="达标" if complete else "基本达标",
            self_assessment=f"本单位围绕“{standards[sid].name}”制定了年度计划和工作制度，按计划开展活动，落实人员和经费"
                            f"保障，相关材料已整理归档。" + ("" if complete else "部分材料仍在补充完善中。"),
        ))
    SubmissionForm.objects.bulk_create(forms, ignore_conflicts=True)
    return len(forms)
