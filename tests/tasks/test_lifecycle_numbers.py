"""Task numbers stay gap-free and unique when many clerks hand over problems at the same moment."""

import threading

import pytest
from django.db import connection

from tasks.models import RectificationTask

from ..factories import make_task
from .lifecycle_kit import reference

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_creation_gives_unique_gap_free_numbers(city, office_clerk, leader):
    ref = reference(city, leader=leader)
    workers, per_worker = 6, 5
    errors, barrier = [], threading.Barrier(workers)

    def hand_over(n):
        try:
            barrier.wait(timeout=10)
            for i in range(per_worker):
                make_task(ref, actor=office_clerk, unit=city.unit_a, title=f"并发交办 {n}-{i}")
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=hand_over, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    numbers = sorted(RectificationTask.objects.values_list("number", flat=True))
    year = RectificationTask.objects.first().year
    assert numbers == [f"ZG-{year}-{i:05d}" for i in range(1, workers * per_worker + 1)]


def test_a_rolled_back_creation_gives_its_number_back(city, office_clerk, leader):
    from django.db import transaction

    ref = reference(city, leader=leader)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_task(ref, actor=office_clerk, unit=city.unit_a)
        raise RuntimeError("网络中断")
    task = make_task(ref, actor=office_clerk, unit=city.unit_a)
    assert task.number.endswith("-00001")
