"""A category must fit the file's kind: 照片 and 整改照片 are for photos only; a PDF or Word file
takes a document category. Refused with a Chinese message wherever a category is set, and the
upload page does not propose 照片 for a batch that may hold documents."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import EvidenceItem
from archives.services import EvidenceRejected, evidence_store, evidence_submit, evidence_update_caption

from ..factories import stored_files
from . import samples

pytestmark = pytest.mark.django_db


def store(user, unit, data, name, **kwargs):
    return evidence_store(file=SimpleUploadedFile("upload", data), name=name, uploader=user, unit=unit, **kwargs)


@pytest.mark.parametrize("category", ["照片", "整改照片"])
def test_a_pdf_is_refused_a_photo_category_and_nothing_is_kept(media, archivist_a, city, category):
    with pytest.raises(EvidenceRejected) as refused:
        store(archivist_a, city.unit_a, samples.pdf(), "工作方案.pdf", category=category)
    message = refused.value.messages[0]
    assert f"“{category}”" in message and "只能用于照片" in message and "工作方案.pdf" in message
    assert stored_files(media) == [] and not EvidenceItem.objects.exists()


def test_a_frameworks_photo_category_is_a_photo_category_too(media, archivist_a, city, framework):
    framework.material.evidence_categories = ["计划", "阵地照片"]
    framework.material.save()
    with pytest.raises(EvidenceRejected, match="“阵地照片”类别只能用于照片"):
        store(archivist_a, city.unit_a, samples.pdf(), "阵地建设.pdf", category="阵地照片")
    assert store(archivist_a, city.unit_a, samples.jpeg(), "阵地.jpg", category="阵地照片").category == "阵地照片"


def test_without_a_category_each_file_gets_one_that_fits_its_kind(media, archivist_a, city):
    photo = store(archivist_a, city.unit_a, samples.jpeg(), "现场.jpg")
    plan = store(archivist_a, city.unit_a, samples.pdf(), "工作方案.pdf")
    assert (photo.category, plan.category) == ("照片", "其他")


def test_a_photo_may_prove_a_document_category(media, archivist_a, city):
    # A photographed activity is 活动 evidence; a photographed notice may be filed as 计划.
    assert store(archivist_a, city.unit_a, samples.jpeg(), "活动.jpg", category="活动").category == "活动"


def test_the_upload_endpoint_uses_the_kind_when_the_batch_sets_no_category(client_for, archivist_a, city, media):
    c = client_for(archivist_a)
    url = reverse("archives:upload_file")
    photo = c.post(url, {"unit": city.unit_a.pk, "category": "", "file": SimpleUploadedFile("p.jpg", samples.jpeg())})
    plan = c.post(url, {"unit": city.unit_a.pk, "category": "", "file": SimpleUploadedFile("a.pdf", samples.pdf())})
    assert EvidenceItem.objects.get(pk=photo.json()["id"]).category == "照片"
    assert EvidenceItem.objects.get(pk=plan.json()["id"]).category == "其他"
    wrong = c.post(url, {"unit": city.unit_a.pk, "category": "照片",
                         "file": SimpleUploadedFile("方案.pdf", samples.pdf(3))})
    assert wrong.status_code == 400 and "只能用于照片" in wrong.json()["error"]


def test_the_upload_page_does_not_propose_the_photo_category(client_for, archivist_a, city):
    page = client_for(archivist_a).get(reverse("archives:upload")).content.decode()
    select = re.search(r'<select[^>]*id="up-category".*?</select>', page, re.S).group(0)
    selected = re.findall(r'<option value="([^"]*)"[^>]*selected', select)
    assert selected == [""] and "按文件种类" in select


def test_a_caption_cannot_turn_a_pdf_into_a_photo(media, archivist_a, city):
    plan = store(archivist_a, city.unit_a, samples.pdf(), "工作方案.pdf", category="计划")
    with pytest.raises(ValidationError) as refused:
        evidence_update_caption(actor=archivist_a, item=plan, data={"category": "照片"})
    assert "只能用于照片" in refused.value.messages[0]
    plan.refresh_from_db()
    assert plan.category == "计划"


def test_the_caption_form_of_a_pdf_offers_no_photo_category(client_for, archivist_a, city, media):
    plan = store(archivist_a, city.unit_a, samples.pdf(), "工作方案.pdf", category="计划")
    page = client_for(archivist_a).get(reverse("archives:caption", args=[plan.pk])).content.decode()
    select = re.search(rf'<select[^>]*name="i{plan.pk}-category".*?</select>', page, re.S).group(0)
    assert "计划" in select and ">照片<" not in select and ">整改照片<" not in select


def test_a_pdf_filed_as_a_photo_before_the_rule_must_be_recategorised_to_submit(media, archivist_a, city):
    plan = store(archivist_a, city.unit_a, samples.pdf(), "工作方案.pdf", category="计划", subject="方案",
                 formed_on=date(2025, 5, 6))
    EvidenceItem.objects.filter(pk=plan.pk).update(category="照片")  # as stored before the rule
    plan.refresh_from_db()
    assert "类别" in plan.caption_gaps()
    with pytest.raises(ValidationError):
        evidence_submit(actor=archivist_a, item=plan)
