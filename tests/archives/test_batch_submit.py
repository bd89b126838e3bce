"""Submitting a batch of captioned items at once: the ids reach the server as the batch page sends
them (one comma-joined field), as checkboxes send them (repeated fields), or mixed; ids of items
the user may not edit are ignored and those items stay untouched."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import EvidenceItem
from archives.services import evidence_store

from . import samples

pytestmark = pytest.mark.django_db


def captioned(user, unit, framework, n):
    """A complete draft the archivist could submit."""
    return evidence_store(file=SimpleUploadedFile("upload", samples.pdf(1) + str(n).encode()), name=f"方案{n}.pdf",
                          uploader=user, unit=unit, category="计划", indicators=[framework.material],
                          subject=f"文明交通宣传方案 {n}", formed_on=date(2025, 5, 6))


def statuses(*items):
    return [EvidenceItem.objects.get(pk=i.pk).get_status_display() for i in items]


def test_the_batch_pages_submit_all_button_submits_every_item(client_for, archivist_a, city, framework, media):
    first, second = (captioned(archivist_a, city.unit_a, framework, n) for n in (1, 2))
    c = client_for(archivist_a)
    page = c.get(reverse("archives:caption_batch"), {"ids": f"{first.pk},{second.pk}"}).content.decode()
    sent = re.search(r'<input type="hidden" name="ids" value="([^"]*)"', page).group(1)
    response = c.post(reverse("archives:submit_many"), {"ids": sent}, follow=True)
    assert "已提交审核 2 份资料" in response.content.decode()
    assert statuses(first, second) == ["已提交", "已提交"]


@pytest.mark.parametrize("form", [
    lambda a, b: {"ids": [a, b]},  # checkboxes: one field per item
    lambda a, b: {"ids": [f"{a},{b}", ""]},  # a joined field next to an empty one
    lambda a, b: {"ids": [f" {a} ,", f"{b}", f"{a}"]},  # spaces, trailing comma, a repeat
], ids=["repeated", "joined", "mixed"])
def test_ids_arrive_repeated_joined_or_mixed(client_for, archivist_a, city, framework, media, form):
    first, second = (captioned(archivist_a, city.unit_a, framework, n) for n in (1, 2))
    client_for(archivist_a).post(reverse("archives:submit_many"), form(first.pk, second.pk))
    assert statuses(first, second) == ["已提交", "已提交"]


def test_another_units_ids_are_ignored_and_those_items_stay_drafts(client_for, archivist_a, liaison_b, city,
                                                                    framework, media):
    theirs = captioned(archivist_a, city.unit_a, framework, 1)
    mine = captioned(liaison_b, city.unit_b, framework, 2)
    response = client_for(liaison_b).post(reverse("archives:submit_many"), {"ids": f"{theirs.pk},{mine.pk},abc,-3"},
                                          follow=True)
    assert "已提交审核 1 份资料" in response.content.decode()
    assert statuses(theirs, mine) == ["草稿", "已提交"]
    alone = client_for(liaison_b).post(reverse("archives:submit_many"), {"ids": str(theirs.pk)}, follow=True)
    assert "没有需要提交的草稿或退回资料" in alone.content.decode()
    assert statuses(theirs) == ["草稿"]


def test_bulk_approve_reads_the_ids_the_same_way(client_for, office_clerk, archivist_a, city, framework, media):
    first, second = (captioned(archivist_a, city.unit_a, framework, n) for n in (1, 2))
    client_for(archivist_a).post(reverse("archives:submit_many"), {"ids": [first.pk, second.pk]})
    client_for(office_clerk).post(reverse("archives:approve_many"), {"ids": f"{first.pk},{second.pk}"})
    assert statuses(first, second) == ["已审核", "已审核"]
