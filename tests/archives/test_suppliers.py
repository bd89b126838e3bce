"""Units that supply material see what is still missing for them. 东湖区 must prove 2.3.1; the
evidence of 湖滨街道 (a street below it) counts toward 东湖区's 提交表. The street's archivist
sees 东湖区's gaps on 2.3.1 in 完整性 and on her ledger, and may read (not fill) 东湖区's 提交表,
where the materials of other units below 东湖区 are counted but not named."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from archives import selectors
from archives.models import SubmissionForm
from archives.services import evidence_review, evidence_store, evidence_submit, submission_form_save
from campaign.models import OrgUnit, Responsibility

from ..factories import OrgUnitFactory, person
from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_duty(framework, city):
    """东湖区 leads 测评项目 2, so it must prove 2.3.1 (计划, 活动)."""
    return Responsibility.objects.create(indicator=framework.material.parent.parent, lead_unit=city.east)


def approved(office, user, unit, framework, data, category, subject):
    item = evidence_store(file=SimpleUploadedFile("upload", data), name=f"{subject}.jpg", uploader=user, unit=unit,
                          category=category, indicators=[framework.material], subject=subject,
                          place="人民路口", taken_at=None, formed_on=date(2025, 5, 6))
    if item.is_photo and not item.taken_at:
        item.taken_at = item.uploaded_at
        item.save(update_fields=["taken_at"])
    return evidence_review(actor=office, item=evidence_submit(actor=user, item=item), approve=True)


@pytest.fixture
def street_activity(office_clerk, archivist_a, city, framework, media):
    return approved(office_clerk, archivist_a, city.unit_a, framework, samples.jpeg(), "活动", "湖滨街道文明交通劝导")


def test_the_street_archivist_sees_what_her_district_still_lacks(client_for, archivist_a, city, district_duty,
                                                                 street_activity):
    page = client_for(archivist_a).get(reverse("archives:completeness")).content.decode()
    assert "没有需要检查的标准" not in page
    assert "东湖区" in page and "2.3.1 缺少：计划" in page
    assert "本单位已提供 1 份" in page
    # The ledger card the archivist starts from leads to the same rows.
    ledger = client_for(archivist_a).get(reverse("archives:index")).content.decode()
    assert "本单位不是牵头或责任单位" not in ledger and "上级单位负责、缺材料的标准" in ledger
    filtered = client_for(archivist_a).get(reverse("archives:completeness"),
                                           {"unit": city.unit_a.pk, "gaps": "1"}).content.decode()
    assert "2.3.1 缺少：计划" in filtered
    export = client_for(archivist_a).get(reverse("archives:completeness"), {"format": "xlsx"})
    (row,) = load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True)
    assert row[:2] == ("东湖区（湖滨街道提供材料）", "2.3.1") and row[6] == "计划"


def test_a_category_another_street_supplied_is_no_longer_missing(office_clerk, archivist_a, city, framework,
                                                                 district_duty, street_activity):
    sibling = OrgUnitFactory(name="湖东街道", kind=OrgUnit.Kind.STREET, parent=city.east)
    clerk = person("archivist_s", "archivist", sibling, "张敏")
    approved(office_clerk, clerk, sibling, framework, samples.pdf(1), "计划", "湖东街道文明交通宣传计划")
    (row,) = selectors.completeness(user=archivist_a)
    assert (row.unit, row.supplier, row.missing, row.supplied) == (city.east, city.unit_a, [], 1)


def test_units_outside_the_duty_unit_see_nothing_of_it(liaison_b, district_duty, street_activity):
    assert selectors.completeness(user=liaison_b) == []  # 江北街道 is not below 东湖区


def test_the_office_sees_each_duty_unit_once(office_clerk, city, district_duty, street_activity):
    rows = selectors.completeness(user=office_clerk)
    assert [(r.unit, r.supplier) for r in rows] == [(city.east, None)]


def test_the_street_may_read_but_not_fill_the_districts_submission_form(client_for, office_clerk, archivist_a,
                                                                        liaison_b, city, framework, district_duty,
                                                                        street_activity):
    sibling = OrgUnitFactory(name="湖东街道", kind=OrgUnit.Kind.STREET, parent=city.east)
    clerk = person("archivist_s", "archivist", sibling, "张敏")
    approved(office_clerk, clerk, sibling, framework, samples.pdf(1), "计划", "湖东街道内部计划")
    submission_form_save(actor=office_clerk, unit=city.east, indicator=framework.material,
                         self_assessment="区级统筹开展文明交通宣传。", conclusion="基本达标")
    url = reverse("archives:submission", args=[city.east.pk, framework.material.pk])
    c = client_for(archivist_a)
    page = c.get(url).content.decode()
    assert "湖滨街道文明交通劝导" in page  # her own material, by name
    assert "湖东街道内部计划" not in page and "其他单位提供的已审核材料 1 份" in page
    assert "区级统筹开展文明交通宣传。" in page and "保存提交表" not in page
    printed = c.get(reverse("archives:submission_print", args=[city.east.pk, framework.material.pk])).content.decode()
    assert "湖滨街道文明交通劝导" in printed and "湖东街道内部计划" not in printed
    assert c.post(url, {"self_assessment": "改写", "conclusion": "达标"}).status_code == 403
    assert SubmissionForm.objects.get().self_assessment == "区级统筹开展文明交通宣传。"
    assert client_for(liaison_b).get(url).status_code == 404
    # A standard 东湖区 need not prove is not hers to read either.
    assert c.get(reverse("archives:submission", args=[city.east.pk, framework.field.pk])).status_code == 404
