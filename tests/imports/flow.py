"""The office's import flow driven with the Django test client: upload → (column mapping) →
preview → confirm, and the database content every corpus sheet must produce."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Framework, Responsibility

from .corpus_shapes import STANDARDS, Shape

EXPECTED_CODES = ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "2", "2.1", "2.1.1", "2.1.1.1"]


def upload(client, filename: str, data: bytes, kind: str = "framework", **fields):
    payload = {"file": SimpleUploadedFile(filename, data), "target": "new", "name": "2026年版", "year": 2026,
               "activate": "on", **fields}
    return client.post(reverse("imports:upload", args=[kind]), payload)


def token_of(url: str) -> str:
    return url.rstrip("/").split("/")[-1] if "/mapping" not in url else url.rstrip("/").split("/")[-2]


def answer_mapping(client, response, answers: dict[str, str]):
    """On the mapping page, choose ``answers`` (header text → field) and keep the other prefilled choices."""
    page = client.get(response.url)
    form = page.context["form"]
    data = {}
    for column, bound in form.rows():
        data[bound.html_name] = answers.get(column.label, bound.value() or "")
    return page, client.post(response.url, data)


def import_through_ui(client, shape: Shape, kind: str = "framework"):
    """Upload ``shape``, answer the mapping page if asked, and return (preview page text, confirm response)."""
    response = upload(client, shape.filename, shape.data, kind=kind)
    assert response.status_code == 302, response.content.decode()[:2000]
    if "/mapping/" in response.url:
        assert shape.mapping is not None, f"{shape.name}: the mapping page was not expected"
        _page, response = answer_mapping(client, response, shape.mapping)
        assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response.url).content.decode()
    token = response.url.rstrip("/").split("/")[-1]
    done = client.post(reverse("imports:confirm", args=[token]), follow=True)
    return preview, done


def imported_rows(framework: Framework) -> list[tuple]:
    """The imported standards and their responsibilities as the corpus writes them."""
    rows = []
    duties = Responsibility.objects.filter(indicator__framework=framework).select_related(
        "indicator", "lead_unit", "leader", "time_limit")
    for duty in sorted(duties, key=lambda d: d.indicator.code):
        indicator = duty.indicator
        rows.append((
            indicator.code, indicator.text, "、".join(indicator.methods),
            duty.lead_unit.short_name or duty.lead_unit.name,
            "、".join(sorted(u.name for u in duty.responsible_units.all())),
            "、".join(sorted(u.name for u in duty.assisting_units.all())),
            duty.leader.full_name if duty.leader else "", duty.time_limit.name if duty.time_limit else "",
        ))
    return rows


def expected_rows() -> list[tuple]:
    return [
        (code, text, methods, lead, "、".join(sorted(responsible.split("、"))), assisting, leader, limit)
        for _a, _i, _c, code, text, methods, lead, responsible, assisting, leader, limit in STANDARDS
    ]


def assert_corpus_imported() -> Framework:
    framework = Framework.objects.get(name="2026年版")
    assert sorted(framework.indicators.values_list("code", flat=True)) == EXPECTED_CODES
    names = dict(framework.indicators.values_list("code", "name"))
    assert names["1"] == "公共秩序" and names["2.1.1"] == "背街小巷整洁"
    assert imported_rows(framework) == expected_rows()
    return framework
