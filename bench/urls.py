"""The portal's URLs plus the benchmark's naive baseline view (``DJANGO_ROOT_URLCONF=bench.urls``;
never the default: the baseline has no login and no scoping)."""

from django.urls import path

from bench import views
from campaign.urls import urlpatterns as portal_patterns

urlpatterns = [
    path("bench/naive-tasks/", views.naive_task_list, name="bench_naive_tasks"),
    *portal_patterns,
]
