"""Celery application. Job code lives in ``<app>/jobs.py`` (the word "task" belongs to the domain)."""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")


class Job(Task):
    """Every job. A message sent through the outbox (campaign/services/queue.py) carries its row's id in
    the ``outbox_id`` header: the row is claimed before the job runs, so a message delivered twice
    runs once, and it keeps a heartbeat while the job runs. ``own_heartbeat = True`` marks a job
    whose own row already beats and is swept (report runs), so the outbox row does not beat twice."""

    own_heartbeat = False

    def __call__(self, *args, **kwargs):
        request = self.request
        outbox_id = getattr(request, "outbox_id", None) or (getattr(request, "headers", None) or {}).get("outbox_id")
        if outbox_id is None or request.called_directly:
            return super().__call__(*args, **kwargs)
        from campaign.services.queue import job_run

        return job_run(outbox_id=outbox_id, call=lambda: super(Job, self).__call__(*args, **kwargs),
                       beats=not self.own_heartbeat)


app = Celery("campaign", task_cls=Job)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
