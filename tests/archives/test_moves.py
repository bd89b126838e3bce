"""The evidence pipeline (EVIDENCE_MOVES): every legal move works; any other is refused with its
message and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archives.models import EVIDENCE_MOVES, EvidenceItem
from archives.services import (
    evidence_review,
    evidence_store,
    evidence_store_correction,
    evidence_submit,
    evidence_update_caption,
)
from campaign.models import Event

from . import samples

pytestmark = pytest.mark.django_db

STATUSES = EvidenceItem.Status.values
LABELS = dict(EvidenceItem.Status.choices)


def photo(user, unit, framework, colour=(30, 90, 160)):
    data = samples.jpeg(colour=colour, taken=None)
    return evidence_store(file=SimpleUploadedFile("p.jpg", data), uploader=user, unit=unit, subject="文明交通劝导",
                          place="人民路口", taken_at=timezone.now(), indicators=[framework.material], category="活动")


def put(item, status):
    """Test set-up: the item in ``status`` (a returned item carries its reason, as the table demands)."""
    EvidenceItem.objects.filter(pk=item.pk).update(status=status, return_reason="请补充" if status == "returned" else "")
    item.refresh_from_db()
    return item


def take(action, item, archivist, clerk):
    if action == "caption":
        return evidence_update_caption(actor=archivist, item=item, data={"place": "解放路口"})
    if action == "submit":
        return evidence_submit(actor=archivist, item=item)
    return evidence_review(actor=clerk, item=item, approve=action == "approve", reason="照片说明缺少人物")


def refusal(action, status):
    label = LABELS[status]
    return {
        "caption": "已审核的资料不能再修改说明；如需更正，请在资料页“上传更正版本”。",
        "submit": f"《文明交通劝导》当前为“{label}”，不能提交审核。",
        "approve": f"《文明交通劝导》当前为“{label}”，只能审核已提交的资料。",
        "return": f"《文明交通劝导》当前为“{label}”，只能审核已提交的资料。",
    }[action]


ACTIONS = ("caption", "submit", "approve", "return")
ILLEGAL = [(a, s) for a in ACTIONS for s in STATUSES if s not in EVIDENCE_MOVES[a].sources]
LEGAL = [(a, s) for a in ACTIONS for s in STATUSES if s in EVIDENCE_MOVES[a].sources]


def test_the_table_says_what_the_pipeline_is():
    assert [(a, s) for a, s in LEGAL] == [
        ("caption", "draft"), ("caption", "submitted"), ("caption", "returned"),
        ("submit", "draft"), ("submit", "returned"),
        ("approve", "submitted"), ("return", "submitted"),
    ]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_an_illegal_move_is_refused_with_its_message_and_changes_nothing(
        media, archivist_a, office_clerk, city, framework, action, status):
    item = put(photo(archivist_a, city.unit_a, framework), status)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        take(action, item, archivist_a, office_clerk)
    assert refused.value.messages == [refusal(action, status)]
    item.refresh_from_db()
    assert (item.status, item.place, item.reviewed_by) == (status, "人民路口", None)
    assert Event.objects.count() == events


@pytest.mark.parametrize(("action", "status"), LEGAL)
def test_every_legal_move_works(media, archivist_a, office_clerk, city, framework, action, status):
    item = put(photo(archivist_a, city.unit_a, framework), status)
    done = take(action, item, archivist_a, office_clerk)
    expected = {"caption": status, "submit": "submitted", "approve": "approved", "return": "returned"}[action]
    done.refresh_from_db()
    assert done.status == expected
    if action == "caption":
        assert done.place == "解放路口"


@pytest.mark.parametrize(("action", "message"), [
    ("caption", "该资料已被更正版本替代，不能再修改。"),
    ("submit", "《文明交通劝导》已被更正版本替代，不能提交。"),
    ("approve", "《文明交通劝导》已被更正版本替代，请审核新版本。"),
])
def test_a_superseded_item_takes_no_move(media, archivist_a, office_clerk, city, framework, action, message):
    old = photo(archivist_a, city.unit_a, framework)
    evidence_store_correction(actor=archivist_a, old=old, file=SimpleUploadedFile(
        "new.jpg", samples.jpeg(colour=(200, 10, 10), taken=None)))
    if action == "approve":
        old = put(old, "submitted")
    with pytest.raises(ValidationError) as refused:
        take(action, old, archivist_a, office_clerk)
    assert refused.value.messages == [message]
    assert EvidenceItem.objects.get(pk=old.pk).status == old.status


def test_an_upload_starts_only_as_draft_submitted_or_approved(media, archivist_a, city):
    for status in ("draft", "submitted", "approved"):
        item = evidence_store(file=samples.jpeg(colour=(len(status) * 20, 10, 10), taken=None), name="p.jpg",
                              uploader=archivist_a, unit=city.unit_a, status=status)
        assert item.status == status
    with pytest.raises(ValidationError, match="上传时状态只能是草稿、已提交或已审核，不能是 returned。"):
        evidence_store(file=samples.jpeg(colour=(1, 2, 3), taken=None), name="p.jpg", uploader=archivist_a,
                       unit=city.unit_a, status="returned")
    assert EvidenceItem.objects.count() == 3
