"""The orphan sweeper against uploads that reuse the file it is about to delete, and files taken
back when the transaction that wrote them rolls back. Interleavings are forced, not hoped for."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from archives.models import EvidenceItem
from archives.services import (
    evidence_atomic,
    evidence_store,
    evidence_store_correction,
    evidence_supersede,
    evidence_sweep_orphan_files,
    orphans,
)
from archives.services import store as store_module

from ..factories import stored_files
from . import samples

TWO_DAYS = 2 * 86400


def upload(user, unit, data, name="photo.jpg"):
    return evidence_store(file=SimpleUploadedFile(name, data), uploader=user, unit=unit)


def orphan(media, user, unit, data) -> str:
    """A file whose row is gone (deleted, or never committed), two days old."""
    item = upload(user, unit, data)
    name = item.file.name
    EvidenceItem.objects.filter(pk=item.pk).delete()
    old = time.time() - TWO_DAYS
    os.utime(media / name, (old, old))
    return name


@pytest.mark.django_db
def test_a_file_reused_while_the_sweep_walks_is_kept(media, archivist_a, liaison_b, city, monkeypatch):
    data = samples.jpeg()
    name = orphan(media, archivist_a, city.unit_a, data)
    target, real_stat, again = media / name, Path.stat, {}

    def stat(self, *args, **kwargs):
        # The sweeper has taken its snapshot of names and reached this file: just now, another
        # unit uploads the same bytes (the new row points at the file already on disk).
        if self == target and not again:
            again["item"] = None
            again["item"] = upload(liaison_b, city.unit_b, data)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    evidence_sweep_orphan_files()
    monkeypatch.undo()
    assert again["item"].file.name == name
    assert target.exists(), "the sweeper deleted the file of a row that had just been created"


@pytest.mark.django_db(transaction=True)
def test_a_file_reused_by_an_upload_not_yet_committed_is_kept(media, archivist_a, liaison_b, city, monkeypatch):
    data = samples.jpeg()
    name = orphan(media, archivist_a, city.unit_a, data)
    written, go = threading.Event(), threading.Event()
    real_record = store_module.event_record

    def paused(**kwargs):  # the upload's row is written; its transaction is still open
        real_record(**kwargs)
        written.set()
        assert go.wait(20)

    monkeypatch.setattr(store_module, "event_record", paused)
    result = {}

    def upload_in_another_request():
        try:
            result["item"] = upload(liaison_b, city.unit_b, data)
        finally:
            connection.close()

    thread = threading.Thread(target=upload_in_another_request)
    thread.start()
    try:
        assert written.wait(20)
        assert evidence_sweep_orphan_files() == 0
    finally:
        go.set()
        thread.join(20)
    assert result["item"].file.name == name and (media / name).exists()


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_skips_a_file_whose_bytes_an_upload_holds_and_rechecks_rows(media, archivist_a, liaison_b,
                                                                                city):
    data = samples.jpeg()
    name = orphan(media, archivist_a, city.unit_a, data)
    sha = orphans.content_of(name)
    cutoff = time.time() - 86400
    assert list(orphans._candidates(media, cutoff)) == [name]
    held, done = threading.Event(), threading.Event()

    def hold_the_lock():  # an upload of the same bytes, between its lock and its commit
        with transaction.atomic():
            orphans.lock_content(sha)
            held.set()
            done.wait(20)
        connection.close()

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    try:
        assert held.wait(20)
        assert orphans.remove_unclaimed(name, cutoff=cutoff, wait=False) is False
    finally:
        done.set()
        thread.join(20)
    assert (media / name).exists()
    # A committed row with those bytes claims the file, even under another name's row.
    upload(liaison_b, city.unit_b, data)
    os.utime(media / name, (cutoff - 10, cutoff - 10))
    assert orphans.remove_unclaimed(name, cutoff=cutoff, wait=False) is False
    EvidenceItem.objects.all().delete()
    assert orphans.remove_unclaimed(name, cutoff=cutoff, wait=False) is True
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_rolled_back_evidence_atomic_block_takes_its_files_back(media, archivist_a, liaison_b, city):
    shared = upload(liaison_b, city.unit_b, samples.jpeg(colour=(9, 9, 9)))  # committed, must stay
    with pytest.raises(ValidationError), evidence_atomic():
        upload(archivist_a, city.unit_a, samples.jpeg(colour=(200, 1, 1)))
        upload(archivist_a, city.unit_a, samples.jpeg(colour=(9, 9, 9)))  # reuses the shared file
        raise ValidationError("后面的检查没有通过")
    assert stored_files(media) == [shared.file.name]
    assert list(EvidenceItem.objects.all()) == [shared]


@pytest.mark.django_db
def test_a_nested_block_hands_its_files_to_the_outer_one(media, archivist_a, city):
    with pytest.raises(RuntimeError), evidence_atomic():
        with evidence_atomic():
            upload(archivist_a, city.unit_a, samples.jpeg())
        raise RuntimeError("the outer block fails after the inner one succeeded")
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_refused_correction_leaves_no_file(media, archivist_a, city):
    old = upload(archivist_a, city.unit_a, samples.pdf(1), "方案.pdf")
    newer = upload(archivist_a, city.unit_a, samples.pdf(2), "方案二.pdf")
    evidence_supersede(actor=archivist_a, old=old, new=newer)
    before = stored_files(media)
    with pytest.raises(ValidationError, match="已经被其他版本替代"):
        evidence_store_correction(actor=archivist_a, old=old, file=SimpleUploadedFile("方案三.pdf", samples.pdf(3)))
    assert stored_files(media) == before
