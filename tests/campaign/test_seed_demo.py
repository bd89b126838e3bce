"""The demo city: believable, idempotent, with working demo accounts, and every problem in it
reads the way a real city's would (text, standard, site type, lead unit and photo agree). One
full seed for all checks (a seed of every app takes tens of seconds)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from campaign.models import Indicator, Membership, OrgUnit, Site, User
from campaign.selectors import responsibility_for
from demo.campaign.reference import problems
from inspections.models import ChecklistItem, Finding
from reports.models import Summary
from tasks.models import RectificationTask, TaskPhoto

pytestmark = pytest.mark.django_db


def counts():
    return OrgUnit.objects.count(), User.objects.count(), Membership.objects.count()


def test_demo_city_is_believable_idempotent_and_its_accounts_log_in(client, capsys):
    call_command("seed_demo")
    first = counts()
    out = capsys.readouterr().out
    for account in ["office", "leader", "head", "liaison", "archivist", "inspector", "assessor"]:
        assert f"  {account} " in out
    assert "Demo@2026" in out
    assert OrgUnit.objects.filter(kind="district").count() == 4
    assert 14 <= OrgUnit.objects.filter(kind="street").count() <= 20
    assert 30 <= OrgUnit.objects.filter(kind="community").count() <= 50
    assert 25 <= OrgUnit.objects.filter(kind__in=["department", "window"]).count() <= 40
    assert 100 <= User.objects.count() <= 200
    for role, _label in Membership._meta.get_field("role").choices:
        assert Membership.objects.filter(role=role).exists(), role
    check_the_demo_world_makes_sense()

    call_command("seed_demo")
    assert counts() == first

    call_command("seed_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out and counts() == first

    response = client.post("/accounts/login/", {"username": "office", "password": "Demo@2026"})
    assert response.status_code == 302 and response.url == "/"
    assert "工作台" in client.get("/").content.decode()


# --- the demo world makes sense: every problem agrees with the catalogue -----------------------


def photo_motif(item, cache: dict) -> str:
    """The motif a demo photo was drawn with (written in its EXIF ImageDescription)."""
    original = item.duplicate_of if item.duplicate_of_id else item
    name = original.file.name
    if name not in cache:
        with Image.open(Path(settings.MEDIA_ROOT) / name) as img:
            cache[name] = str(img.getexif().get(0x010E, "")).removeprefix("demo-motif:")
    return cache[name]


def place_units(site, paths: dict[int, str]) -> set[int]:
    """Units that may lead a place-bound problem at ``site``: its street and everything in it,
    its district, its 包保单位."""
    found = {site.district_id, site.adopting_unit_id}
    if site.street_id:
        street = paths[site.street_id]
        found |= {pk for pk, path in paths.items() if path.startswith(street)}
    return found


def office_bodies() -> set[int]:
    """The office, the units above it, its own sub-units and the 文明办 it works in."""
    office = OrgUnit.objects.get(kind=OrgUnit.Kind.OFFICE)
    found = {u.pk for u in OrgUnit.objects.all() if office.path.startswith(u.path) or u.path.startswith(office.path)}
    return found | set(OrgUnit.objects.filter(short_name=problems.OFFICE_HOST).values_list("pk", flat=True))


def check_every_task_agrees_with_its_problem_kind(wrong: list[str]) -> None:
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    banned = office_bodies()
    motifs: dict[str, str] = {}
    photos: dict[int, list] = {}
    for photo in TaskPhoto.objects.select_related("evidence__duplicate_of"):
        photos.setdefault(photo.task_id, []).append(photo.evidence)
    tasks = RectificationTask.objects.select_related("indicator", "lead_unit", "site__site_type").prefetch_related(
        "indicator__site_types")
    for task in tasks:
        where = f"{task.number}「{task.title}」"
        if task.lead_unit_id in banned:
            wrong.append(f"{where} 交给了创文办自己或其上级：{task.lead_unit}")
        head, _, text = task.title.rpartition("：")
        if task.site is None:
            kind = problems.material_kinds().get(task.indicator.code)
            if kind is None or text not in kind.problems or head != task.indicator.name:
                wrong.append(f"{where} 不在材料类问题目录中（标准 {task.indicator.code}）")
                continue
            if task.lead_unit.short_name != kind.lead:
                wrong.append(f"{where} 牵头单位应为 {kind.lead}，实为 {task.lead_unit}")
        else:
            type_name = task.site.site_type.name
            kind = problems.kind_for(type_name, text)
            if kind is None:
                wrong.append(f"{where} 的问题不在{type_name}的问题目录中")
                continue
            if task.indicator.code != kind.code:
                wrong.append(f"{where} 标准应为 {kind.code}，实为 {task.indicator.code} {task.indicator.name}")
            if type_name not in {t.name for t in task.indicator.site_types.all()}:
                wrong.append(f"{where} 标准 {task.indicator.code} 不适用于{type_name}")
            if kind.place_bound and task.lead_unit_id not in place_units(task.site, paths):
                wrong.append(f"{where} 属地问题交给了点位所在地以外的 {task.lead_unit}")
            if not kind.place_bound and task.lead_unit.short_name != kind.lead:
                wrong.append(f"{where} 牵头单位应为 {kind.lead}，实为 {task.lead_unit}")
        for item in photos.get(task.pk, []):
            if photo_motif(item, motifs) != kind.motif:
                wrong.append(f"{where} 的照片（{item.subject}）不是“{problems.MOTIFS[kind.motif][0]}”")


def check_checklists_and_findings_agree_with_the_catalogue(wrong: list[str]) -> None:
    for item in ChecklistItem.objects.filter(checklist__status="active").select_related(
            "checklist__site_type", "indicator"):
        kind = problems.kind_for(item.checklist.site_type.name, item.text)
        if kind is None or item.indicator.code != kind.code:
            wrong.append(f"检查项「{item.checklist.site_type.name}：{item.text}」关联了 {item.indicator.code} "
                         f"{item.indicator.name}")
    motifs: dict[str, str] = {}
    findings = Finding.objects.select_related("site__site_type", "indicator", "item",
                                              "result__recheck__task__site__site_type")
    for finding in findings.prefetch_related("photos__duplicate_of"):
        if finding.result.recheck_id:
            task = finding.result.recheck.task
            kind = problems.kind_for(task.site.site_type.name, task.title.rpartition("：")[2])
        else:
            kind = problems.kind_for(finding.site.site_type.name, finding.note)
        where = f"{finding.site.name}的问题「{finding.note}」"
        if kind is None or finding.indicator.code != kind.code:
            wrong.append(f"{where} 与标准 {finding.indicator.code} {finding.indicator.name} 不符")
            continue
        for item in finding.photos.all():
            if photo_motif(item, motifs) != kind.motif:
                wrong.append(f"{where} 的照片不是“{problems.MOTIFS[kind.motif][0]}”")


def check_the_matrix_routes_every_kind_as_the_catalogue_says(wrong: list[str]) -> None:
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    standards = {i.code: i for i in Indicator.objects.active().standards()}
    sites = {site.site_type.name: site for site in Site.objects.select_related("site_type").order_by("-pk")}
    for kind in problems.field_kinds():
        site = sites[kind.site_type]
        lead = responsibility_for(standards[kind.code], site).lead_unit
        if kind.place_bound and (lead is None or lead.pk not in place_units(site, paths)):
            wrong.append(f"{site.name} {kind.code} 属地问题被路由到 {lead}")
        if not kind.place_bound and (lead is None or lead.short_name != kind.lead):
            wrong.append(f"{site.name} {kind.code} 应路由到 {kind.lead}，实为 {lead}")


def check_summary_issues_are_numbered_by_their_period(wrong: list[str]) -> None:
    periodic = Summary.objects.filter(is_periodic=True)
    assert periodic.filter(kind="monthly").exists() and periodic.filter(kind="weekly").exists()
    for summary in periodic:
        start = summary.period_start
        expected = (start.year, start.month) if summary.kind == "monthly" else start.isocalendar()[:2]
        if (summary.year, summary.issue_no) != expected:
            wrong.append(f"{summary.title} 编为 {summary.issue_label}，应为 {expected[0]}年第{expected[1]}期")


def check_the_demo_world_makes_sense() -> None:
    wrong: list[str] = []
    check_every_task_agrees_with_its_problem_kind(wrong)
    check_checklists_and_findings_agree_with_the_catalogue(wrong)
    check_the_matrix_routes_every_kind_as_the_catalogue_says(wrong)
    check_summary_issues_are_numbered_by_their_period(wrong)
    assert not wrong, f"{len(wrong)} 处不合常理，例如：\n" + "\n".join(wrong[:25])
