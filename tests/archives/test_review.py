"""Caption → submit → review (approve / return with a reason) → correct (supersede)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archives.models import EvidenceItem
from archives.services import (
    evidence_approve_many,
    evidence_review,
    evidence_store,
    evidence_store_correction,
    evidence_submit,
    evidence_submit_many,
    evidence_supersede,
    evidence_update_caption,
)
from campaign.models import Event, Notification

from . import samples

pytestmark = pytest.mark.django_db


def photo(user, unit, framework, **caption):
    data = samples.jpeg(colour=(len(caption) * 20 % 255, 90, 160), taken=None) + caption.pop("salt", b"")
    defaults = {"subject": "文明交通劝导", "place": "人民路口", "taken_at": timezone.now(),
                "indicators": [framework.material], "category": "活动"}
    return evidence_store(file=SimpleUploadedFile("p.jpg", data), uploader=user, unit=unit, **{**defaults, **caption})


def test_submit_needs_a_complete_caption(media, archivist_a, city, framework):
    item = photo(archivist_a, city.unit_a, framework, place="", indicators=[])
    with pytest.raises(ValidationError) as refused:
        evidence_submit(actor=archivist_a, item=item)
    assert "地点" in refused.value.messages[0] and "测评标准" in refused.value.messages[0]
    item.refresh_from_db()
    assert item.status == "draft"
    evidence_update_caption(actor=archivist_a, item=item, data={"place": "人民路与解放路交叉口"},
                            indicators=[framework.material])
    assert evidence_submit(actor=archivist_a, item=item).status == "submitted"
    assert Event.objects.filter(verb="evidence.caption", target_id=str(item.pk)).exists()


def test_return_needs_a_reason_and_changes_nothing_without_one(media, archivist_a, office_clerk, city, framework):
    item = evidence_submit(actor=archivist_a, item=photo(archivist_a, city.unit_a, framework))
    with pytest.raises(ValidationError) as refused:
        evidence_review(actor=office_clerk, item=item, approve=False, reason="   ")
    assert "退回原因" in refused.value.messages[0]
    item.refresh_from_db()
    assert item.status == "submitted" and item.reviewed_by is None
    assert not Event.objects.filter(verb="evidence.return").exists()


def test_returned_item_tells_the_uploader_why(media, archivist_a, office_clerk, city, framework):
    item = evidence_submit(actor=archivist_a, item=photo(archivist_a, city.unit_a, framework))
    item = evidence_review(actor=office_clerk, item=item, approve=False, reason="照片说明缺少人物，请补充。")
    assert item.status == "returned" and item.return_reason == "照片说明缺少人物，请补充。"
    note = Notification.objects.get(recipient=archivist_a)
    assert "被退回" in note.title and "缺少人物" in note.body and note.url == f"/archives/items/{item.pk}/"
    # Fixed and sent again: the old reason is cleared, the office can approve.
    evidence_update_caption(actor=archivist_a, item=item, data={"people": "志愿者 12 人"})
    item = evidence_submit(actor=archivist_a, item=item)
    assert item.return_reason == ""
    assert evidence_review(actor=office_clerk, item=item, approve=True).status == "approved"


def test_only_the_office_reviews_and_only_submitted_items(media, archivist_a, office_clerk, city, framework):
    item = photo(archivist_a, city.unit_a, framework)
    with pytest.raises(ValidationError):
        evidence_review(actor=office_clerk, item=item, approve=True)  # still a draft
    item = evidence_submit(actor=archivist_a, item=item)
    with pytest.raises(PermissionDenied):
        evidence_review(actor=archivist_a, item=item, approve=True)
    item.refresh_from_db()
    assert item.status == "submitted"


def test_approved_items_are_locked(media, archivist_a, office_clerk, city, framework):
    item = evidence_submit(actor=archivist_a, item=photo(archivist_a, city.unit_a, framework))
    evidence_review(actor=office_clerk, item=item, approve=True)
    with pytest.raises(ValidationError) as refused:
        evidence_update_caption(actor=archivist_a, item=item, data={"subject": "改个名"})
    assert "更正版本" in refused.value.messages[0]


def test_bulk_approve_is_all_or_nothing(media, archivist_a, office_clerk, city, framework):
    first = evidence_submit(actor=archivist_a, item=photo(archivist_a, city.unit_a, framework))
    draft = photo(archivist_a, city.unit_a, framework, subject="另一张", salt=b"x")
    with pytest.raises(ValidationError):
        evidence_approve_many(actor=office_clerk, items=[first, draft])
    first.refresh_from_db()
    assert first.status == "submitted"
    second = evidence_submit(actor=archivist_a, item=draft)
    assert evidence_approve_many(actor=office_clerk, items=[first, second]) == 2
    assert set(EvidenceItem.objects.values_list("status", flat=True)) == {"approved"}


def test_bulk_submit_lists_every_gap_and_submits_nothing(media, archivist_a, city, framework):
    good = photo(archivist_a, city.unit_a, framework)
    bad = photo(archivist_a, city.unit_a, framework, subject="", salt=b"y")
    with pytest.raises(ValidationError) as refused:
        evidence_submit_many(actor=archivist_a, items=[good, bad])
    assert any("主题" in m for m in refused.value.messages)
    assert set(EvidenceItem.objects.values_list("status", flat=True)) == {"draft"}


def test_supersede_keeps_the_old_item(media, archivist_a, office_clerk, city, framework):
    old = evidence_submit(actor=archivist_a, item=photo(archivist_a, city.unit_a, framework))
    evidence_review(actor=office_clerk, item=old, approve=True)
    new = evidence_store_correction(actor=archivist_a, old=old,
                                    file=SimpleUploadedFile("fixed.jpg", samples.jpeg(colour=(9, 9, 9))))
    old.refresh_from_db()
    assert new.supersedes == old and old.status == "approved"
    assert EvidenceItem.objects.filter(pk=old.pk).exists()
    assert list(EvidenceItem.objects.current()) == [new]
    assert new.subject == old.subject and list(new.indicators.all()) == [framework.material]
    assert Event.objects.filter(verb="evidence.superseded", target_id=str(old.pk)).exists()
    with pytest.raises(ValidationError):
        evidence_supersede(actor=archivist_a, old=old, new=photo(archivist_a, city.unit_a, framework, salt=b"z"))


def test_a_correction_identical_to_the_original_is_refused(media, archivist_a, city, framework):
    data = samples.jpeg(colour=(1, 2, 3))
    old = evidence_store(file=SimpleUploadedFile("a.jpg", data), uploader=archivist_a, unit=city.unit_a)
    with pytest.raises(ValidationError) as refused:
        evidence_store_correction(actor=archivist_a, old=old, file=SimpleUploadedFile("b.jpg", data))
    assert "完全相同" in refused.value.messages[0]
    assert EvidenceItem.objects.count() == 1 and not EvidenceItem.objects.filter(supersedes=old).exists()


def test_supersede_stays_within_the_unit(media, archivist_a, liaison_b, city, framework):
    mine = photo(archivist_a, city.unit_a, framework)
    theirs = photo(liaison_b, city.unit_b, framework, salt=b"b")
    with pytest.raises(ValidationError):
        evidence_supersede(actor=archivist_a, old=mine, new=theirs)
