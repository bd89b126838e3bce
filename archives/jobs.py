"""Celery entry points of the archives app: ids in, one service call."""

from celery import shared_task

from archives import services
from archives.models import EvidenceItem


@shared_task(name="archives.make_print_rendition")
def make_print_rendition(item_id: int):
    item = EvidenceItem.objects.filter(pk=item_id).first()
    if item is not None:
        services.evidence_make_rendition(item=item)


@shared_task(name="archives.make_missing_renditions")
def make_missing_renditions():
    return services.evidence_make_missing_renditions()


@shared_task(name="archives.sweep_orphan_files")
def sweep_orphan_files():
    return services.evidence_sweep_orphan_files()
