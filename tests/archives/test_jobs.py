"""Print renditions are made by a job after commit, by the sweeper when the job was lost, and
stray files left by rolled-back transactions are swept away."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from archives import jobs
from archives.models import EvidenceItem
from archives.services import (
    evidence_make_missing_renditions,
    evidence_store,
    evidence_sweep_orphan_files,
)
from campaign.models import OutboxJob

from ..factories import stored_files
from . import samples

pytestmark = pytest.mark.django_db


def upload(user, unit, data=None):
    return evidence_store(file=SimpleUploadedFile("a.jpg", data or samples.jpeg(orientation=3)), uploader=user,
                          unit=unit)


def test_a_photo_upload_queues_its_rendition_through_the_outbox(media, archivist_a, city):
    item = upload(archivist_a, city.unit_a)
    job = OutboxJob.objects.get()
    assert job.name == "archives.make_print_rendition" and job.args == [item.pk]
    jobs.make_print_rendition.apply(args=[item.pk])  # what the worker runs
    item.refresh_from_db()
    assert item.print_file.name == f"renditions/{item.sha256[:2]}/{item.sha256}.jpg"


def test_documents_queue_nothing(media, archivist_a, city):
    evidence_store(file=SimpleUploadedFile("a.pdf", samples.pdf()), uploader=archivist_a, unit=city.unit_a)
    assert not OutboxJob.objects.exists()


def test_the_sweeper_makes_renditions_the_job_missed(media, archivist_a, city):
    item = upload(archivist_a, city.unit_a)
    assert evidence_make_missing_renditions() == 0  # too fresh: the job may still be on its way
    EvidenceItem.objects.filter(pk=item.pk).update(uploaded_at=timezone.now() - timedelta(minutes=10))
    assert evidence_make_missing_renditions() == 1
    item.refresh_from_db()
    assert item.print_file and item.thumb_file
    assert evidence_make_missing_renditions() == 0


def test_a_photo_that_cannot_be_rendered_is_tried_three_times(media, archivist_a, city):
    item = upload(archivist_a, city.unit_a)
    EvidenceItem.objects.filter(pk=item.pk).update(uploaded_at=timezone.now() - timedelta(minutes=10))
    (media / item.file.name).write_bytes(b"\xff\xd8\xff broken after upload")
    for _ in range(4):
        assert evidence_make_missing_renditions() == 0
    item.refresh_from_db()
    assert item.rendition_attempts == 3 and not item.print_file


def test_orphan_sweeper_removes_only_old_unreferenced_files(media, archivist_a, city):
    kept = upload(archivist_a, city.unit_a)
    with transaction.atomic():
        lost = upload(archivist_a, city.unit_a, samples.jpeg(colour=(5, 5, 5)))
        lost_name = lost.file.name
        transaction.set_rollback(True)  # the caller's transaction failed after the file was placed
    assert lost_name in stored_files(media)
    assert evidence_sweep_orphan_files() == 0  # young files are left alone
    old = time.time() - 2 * 86400
    for name in stored_files(media):
        os.utime(media / name, (old, old))
    assert evidence_sweep_orphan_files() == 1
    assert stored_files(media) == [kept.file.name]
