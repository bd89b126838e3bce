"""Completeness: which required categories of each 材料审核 standard have approved current evidence."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from archives.models import EvidenceItem
from archives.selectors import completeness, completeness_xlsx, gap_list, submission_form_data, summarise
from archives.services import evidence_store, evidence_supersede, submission_form_save

from . import samples

pytestmark = pytest.mark.django_db


def filed(user, unit, framework, category, status="approved", kind="pdf", salt=""):
    data = samples.pdf(pages=2) + salt.encode() if kind == "pdf" else samples.jpeg(colour=(len(salt) * 30 % 255, 1, 2))
    return evidence_store(file=SimpleUploadedFile(f"{category}.{kind}", data), uploader=user, unit=unit,
                          category=category, indicators=[framework.material], status=status,
                          subject=f"{category}材料", formed_on=timezone.localdate())


def test_unit_with_one_category_missing_shows_the_gap(media, archivist_a, city, framework, duty_a):
    filed(archivist_a, city.unit_a, framework, "计划")
    filed(archivist_a, city.unit_a, framework, "活动", status="submitted", salt="pending")
    rows = completeness(unit=city.unit_a)
    assert [(r.indicator.code, r.unit) for r in rows] == [("2.3.1", city.unit_a)]  # 2.3.2 is a field check
    row = rows[0]
    assert row.missing == ["活动"] and not row.complete
    assert row.gap_text == "2.3.1 缺少：活动"
    assert [c["state"] for c in row.cells()] == ["ok", "pending"]
    assert gap_list(rows) == [(city.unit_a, ["2.3.1 缺少：活动"])]
    EvidenceItem.objects.filter(category="活动").update(status="approved")
    assert completeness(unit=city.unit_a)[0].complete


def test_sub_units_evidence_counts_for_the_duty_unit(media, archivist_a, city, framework, duty_a):
    filed(archivist_a, city.unit_a, framework, "计划")
    filed(archivist_a, city.community_a, framework, "活动")
    assert completeness(unit=city.unit_a)[0].complete


def test_superseded_evidence_no_longer_counts(media, archivist_a, city, framework, duty_a):
    old = filed(archivist_a, city.unit_a, framework, "计划")
    filed(archivist_a, city.unit_a, framework, "活动", salt="a")
    new = filed(archivist_a, city.unit_a, framework, "计划", status="draft", salt="new")
    evidence_supersede(actor=archivist_a, old=old, new=new)
    assert completeness(unit=city.unit_a)[0].missing == ["计划"]


def test_city_view_follows_the_matrix_and_the_users_scope(media, archivist_a, liaison_a, liaison_b, city, framework,
                                                          duty_a):
    duty_a.responsible_units.add(city.unit_b)
    rows = completeness()
    assert {r.unit for r in rows} == {city.unit_a, city.unit_b}
    assert summarise(rows).pairs == 2 and summarise(rows).complete == 0
    assert {r.unit for r in completeness(user=liaison_b)} == {city.unit_b}
    assert {r.unit for r in completeness(user=liaison_a)} == {city.unit_a}


def test_gap_list_exports_to_excel(media, archivist_a, city, framework, duty_a):
    filed(archivist_a, city.unit_a, framework, "计划")
    sheet = load_workbook(io.BytesIO(completeness_xlsx(completeness()))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [("湖滨街道", "2.3.1", "文明交通宣传教育", "计划、活动", "计划", None, "活动", "缺项")]


def test_submission_form_lists_approved_materials(media, archivist_a, city, framework, duty_a):
    filed(archivist_a, city.unit_a, framework, "活动", kind="jpg")
    filed(archivist_a, city.unit_a, framework, "计划")
    filed(archivist_a, city.unit_a, framework, "计划", status="draft", salt="draft")
    submission_form_save(actor=archivist_a, unit=city.unit_a, indicator=framework.material,
                         self_assessment="制定了年度计划，开展了宣传活动。", conclusion="达标")
    data = submission_form_data(city.unit_a, framework.material)
    assert [(m.number, m.category, m.pages) for m in data.materials] == [(1, "计划", 2), (2, "活动", 1)]
    assert data.total_pages == 3 and data.missing == []
    assert data.conclusion == "达标" and data.updated_by == archivist_a
    assert [a.code for a in data.chain] == ["A2", "2", "2.3"]
