"""Demo reference data: the indicator system (an active edition of 161 standards and a small older
one), about 600 sites, and the full responsibility matrix. Deterministic (seeded random, fixed
texts), idempotent (each part looks for its rows first) and fast (bulk inserts)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from campaign.models import (
    EVIDENCE_CATEGORIES,
    Framework,
    Indicator,
    OrgUnit,
    Responsibility,
    Site,
    SiteType,
    TimeLimit,
    User,
)
from demo.campaign.guardianship import seed_site_guardians
from demo.campaign.reference import framework_text as ft
from demo.campaign.reference import problems
from demo.campaign.reference.sites import SiteBuilder

EXTRA_CATEGORIES = {"12.1.1": ["会议纪要"], "1.3.1": ["阵地照片"], "3.1.1": ["志愿者名册"]}


@dataclass
class Node:
    code: str
    name: str
    level: int
    text: str = ""
    methods: list[str] = field(default_factory=list)
    points: Decimal | None = None
    site_types: list[str] = field(default_factory=list)
    negative: bool = False
    row: tuple | None = None
    children: list[Node] = field(default_factory=list)


def parse(text: str = ft.TEXT) -> list[Node]:
    """The framework text as a tree of nodes (see framework_text for the line format)."""
    areas: list[Node] = []
    item = content = None
    for line in text.strip().splitlines():
        if line[:2] in ("- ", "! "):
            body, methods, points, *types = line[2:].split("|")
            name, detail = body.split("：", 1)
            content.children.append(Node(
                code=f"{content.code}.{len(content.children) + 1}", name=name, level=4, text=detail,
                methods=methods.split("、"), points=Decimal(points) if points else None,
                site_types=[t for t in (types[0].split("、") if types else []) if t], negative=line[0] == "!",
            ))
            continue
        code, name, *row = line.split("|")
        if code.isalpha():
            areas.append(Node(code, name, 1))
        elif "." not in code:
            item = Node(code, name, 2)
            areas[-1].children.append(item)
        else:
            leader, lead, responsible, assisting, limit = row
            content = Node(code, name, 3, row=(leader, lead, _list(responsible), _list(assisting), limit))
            item.children.append(content)
    return areas


def _list(cell: str) -> list[str]:
    return [part for part in cell.split("、") if part]


def old_edition(areas: list[Node]) -> list[Node]:
    """The smaller 2023 text: a few contents, two standards each."""
    kept = []
    for area in areas:
        items = []
        for item in area.children:
            contents = [Node(c.code, c.name, 3, children=c.children[:2]) for c in item.children
                        if c.code in ft.OLD_FRAMEWORK_CONTENTS]
            if contents:
                items.append(Node(item.code, item.name, 2, children=contents))
        if items:
            kept.append(Node(area.code, area.name, 1, children=items))
    return kept


def seed(ctx) -> None:
    rng = random.Random(20261124 + 4)
    units: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.order_by("path"):
        units.setdefault(unit.short_name or unit.name, unit)
    with transaction.atomic():
        areas = parse()
        old = _framework(ft.OLD_FRAMEWORK_NAME, ft.OLD_FRAMEWORK_YEAR, "已被2026年版取代，仅供查阅。", False)
        if not old.indicators.exists():
            _write_tree(old, old_edition(areas))
        active = _framework(ft.FRAMEWORK_NAME, ft.FRAMEWORK_YEAR, ft.FRAMEWORK_NOTE, True)
        codes = {i.code: i for i in active.indicators.all()} or _write_tree(active, areas)
        builder = SiteBuilder(units, rng)
        builder.plan()
        new_sites = builder.write()
        seed_site_guardians()
        new_rows = 0
        if not Responsibility.objects.filter(indicator__framework=active).exists():
            new_rows = _write_matrix(areas, codes, units)
    standards = sum(1 for i in codes.values() if i.level == Indicator.Level.STANDARD)
    ctx.stdout.write(f"    测评体系 {standards} 条标准；新增点位 {new_sites} 个；新增责任分工 {new_rows} 行")


def _framework(name: str, year: int, note: str, active: bool) -> Framework:
    framework = Framework.objects.filter(name=name).first()
    if framework is None:
        if active:
            Framework.objects.filter(is_active=True).update(is_active=False)
        framework = Framework.objects.create(name=name, year=year, note=note, is_active=active)
    return framework


def _write_tree(framework: Framework, roots: list[Node]) -> dict[str, Indicator]:
    """Insert the tree level by level (parents first, so children get their ids and paths)."""
    types = {t.name: t for t in SiteType.objects.all()}
    by_code: dict[str, Indicator] = {}
    links = []
    level: list[tuple[Indicator | None, Node, int]] = [(None, n, i) for i, n in enumerate(roots, start=1)]
    while level:
        rows = [_indicator(framework, parent, node, order) for parent, node, order in level]
        Indicator.objects.bulk_create(rows)
        following = []
        for row, (_parent, node, _order) in zip(rows, level, strict=True):
            by_code[node.code] = row
            links.extend(Indicator.site_types.through(indicator_id=row.pk, sitetype_id=types[t].pk)
                         for t in node.site_types)
            following.extend((row, child, i) for i, child in enumerate(node.children, start=1))
        level = following
    Indicator.site_types.through.objects.bulk_create(links)
    return by_code


def _indicator(framework, parent, node: Node, order: int) -> Indicator:
    categories = list(EVIDENCE_CATEGORIES) if "材料审核" in node.methods else []
    return Indicator(
        framework=framework, parent=parent, level=node.level, code=node.code, name=node.name, text=node.text,
        path=f"{parent.path if parent else ''}{node.code}/", methods=node.methods, points=node.points,
        evidence_categories=categories + EXTRA_CATEGORIES.get(node.code, []), is_negative=node.negative,
        sort_order=order,
    )


PLACE, TRADE, FIXED = Responsibility.Basis.PLACE, Responsibility.Basis.TRADE, Responsibility.Basis.FIXED


def matrix_plan(areas: list[Node]) -> list[tuple[str, str | None, str | None, tuple, str]]:
    """The responsibility matrix as (indicator code, site type, site name, row, basis), agreeing with
    the problem catalogue (属地管理为主、行业监管为辅): a place-bound standard gets a 属地 row of its
    own (the site's street or community leads, the content's department joins as 行业配合); every
    trade-bound standard × site type routes to its department (行业), with a site-type row where the
    standard's row is 属地 or names another unit; the office's rows for single black spots are 指定."""
    place = problems.place_bound_codes()
    planned: dict[tuple, tuple] = {}
    content_rows: dict[str, tuple] = {}
    for area in areas:
        for item in area.children:
            for content in item.children:
                content_rows[content.code] = content.row
                if not any(s.code in place for s in content.children):
                    planned[(content.code, None, None)] = (content.row, _basis(content.row))
                    continue
                for standard in content.children:
                    if standard.code in place:
                        planned[(standard.code, None, None)] = (content.row, PLACE)
                    elif standard.code not in ft.STANDARD_ROWS:
                        planned[(standard.code, None, None)] = (content.row, _basis(content.row))
    for code, row in ft.STANDARD_ROWS.items():
        if code in place:
            raise ValueError(f"{code} 是属地负责的标准，不能有整条标准的行业分工")
        planned[(code, None, None)] = (row, _basis(row))
    trade = problems.trade_leads()
    for (code, type_name), row in ft.SITE_TYPE_ROWS.items():
        if code in place and (code, type_name) not in trade:
            raise ValueError(f"{code} 在{type_name}属地负责，不能有点位类型的分工")
        planned[(code, type_name, None)] = (row, _basis(row))
    for (code, type_name), lead in sorted(trade.items()):
        content = code.rsplit(".", 1)[0]
        current = (planned.get((code, type_name, None)) or planned.get((code, None, None))
                   or planned.get((content, None, None)))
        if current is None or current[1] == PLACE or current[0][1] != lead:
            leader, _lead, _responsible, _assisting, limit = current[0] if current else content_rows[content]
            planned[(code, type_name, None)] = ((leader, lead, [], [], limit), TRADE)
    planned.update({(code, None, name): (row, FIXED) for (code, name), row in ft.SITE_ROWS.items()})
    return [(code, type_name, site, row, basis) for (code, type_name, site), (row, basis) in planned.items()]


def _basis(row: tuple) -> str:
    """行业 for a department's or window's row; 指定 for a row that names a district or the like."""
    return TRADE if row[1] not in ft.PLACE_LEADS else FIXED


def _write_matrix(areas: list[Node], codes: dict[str, Indicator], units: dict[str, OrgUnit]) -> int:
    """Write ``matrix_plan``: content, standard, site-type and single-site rows."""
    leaders = {u.username: u for u in User.objects.filter(username__in=["leader", "ld01", "ld02", "ld03"])}
    limits = {t.name: t for t in TimeLimit.objects.all()}
    types = {t.name: t for t in SiteType.objects.all()}
    plan = matrix_plan(areas)
    sites = {s.name: s for s in Site.objects.filter(name__in=[site for _c, _t, site, _r, _b in plan if site])}
    planned = [(codes[code], types[t] if t else None, sites.get(site), row, basis) for code, t, site, row, basis in plan
               if site is None or site in sites]
    rows, members = [], []
    for indicator, site_type, site, (leader, lead, responsible, assisting, limit), basis in planned:
        time_limit = limits.get(limit)
        rows.append(Responsibility(
            indicator=indicator, site_type=site_type, site=site, leader=leaders.get(leader),
            lead_unit=units.get(lead), time_limit=time_limit, basis=basis,
            deadline=date.fromisoformat(ft.FIXED_DEADLINE) if time_limit and time_limit.kind == "date" else None,
        ))
        members.append(([units[u] for u in responsible if u in units], [units[u] for u in assisting if u in units]))
    Responsibility.objects.bulk_create(rows)
    resp_through, assist_through = Responsibility.responsible_units.through, Responsibility.assisting_units.through
    resp_through.objects.bulk_create(
        [resp_through(responsibility_id=r.pk, orgunit_id=u.pk) for r, (resp, _a) in zip(rows, members, strict=True)
         for u in resp])
    assist_through.objects.bulk_create(
        [assist_through(responsibility_id=r.pk, orgunit_id=u.pk) for r, (_r, assist) in zip(rows, members, strict=True)
         for u in assist])
    return len(rows)
