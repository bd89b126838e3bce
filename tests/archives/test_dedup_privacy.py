"""Identical bytes are stored once, but an upload never tells the uploader which other unit
already holds them: nothing on the upload reply, the item page or its history names that unit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import EvidenceItem
from archives.services import evidence_store, evidence_supersede
from campaign.models import Event

from ..factories import stored_files
from . import samples

pytestmark = pytest.mark.django_db


def test_uploading_bytes_another_unit_holds_says_nothing_about_that_unit(client_for, archivist_a, liaison_b, city,
                                                                         media):
    data = samples.jpeg()
    evidence_store(file=SimpleUploadedFile("a.jpg", data), uploader=archivist_a, unit=city.unit_a,
                   subject="湖滨街道内部照片")
    c = client_for(liaison_b)
    reply = c.post(reverse("archives:upload_file"), {"unit": city.unit_b.pk, "file": SimpleUploadedFile("b.jpg", data)})
    assert reply.json()["ok"] and reply.json()["message"] == "已上传" and not reply.json()["reused"]
    assert "湖滨" not in reply.content.decode()
    mine = EvidenceItem.objects.get(pk=reply.json()["id"])
    page = c.get(reverse("archives:detail", args=[mine.pk])).content.decode()
    assert "上传照片" in page  # the history is shown…
    assert "湖滨" not in page and "相同" not in page  # …without the other unit or the fact of a copy
    summary = Event.objects.get(verb="evidence.upload", target_id=str(mine.pk)).summary
    assert "湖滨" not in summary and "相同" not in summary
    assert len([f for f in stored_files(media) if f.startswith("evidence/")]) == 1  # still stored once


def test_a_copy_within_the_own_unit_may_still_be_mentioned(archivist_a, city, media):
    data = samples.jpeg()
    old = evidence_store(file=SimpleUploadedFile("a.jpg", data), uploader=archivist_a, unit=city.unit_a)
    newer = evidence_store(file=SimpleUploadedFile("b.jpg", samples.jpeg(colour=(1, 2, 3))), uploader=archivist_a,
                           unit=city.unit_a)
    evidence_supersede(actor=archivist_a, old=old, new=newer)
    # The old version is no longer current, so the same bytes again make a new row of the same unit.
    again = evidence_store(file=SimpleUploadedFile("c.jpg", data), uploader=archivist_a, unit=city.unit_a)
    assert again.pk != old.pk and again.duplicate_of == old
    summary = Event.objects.get(verb="evidence.upload", target_id=str(again.pk)).summary
    assert "与本单位已存文件相同" in summary
