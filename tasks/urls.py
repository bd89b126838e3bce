from django.urls import path

from tasks import views
from tasks.models import TRANSITIONS, RelayAction
from tasks.views import bulk as views_bulk
from tasks.views import chase as views_chase
from tasks.views import relay as views_relay

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="index"),
    path("export/", views.task_export, name="export"),
    path("new/", views.task_create, name="create"),
    path("new/routing/", views.routing_proposal, name="routing"),
    path("new/sites/", views.site_options, name="site_options"),
    path("new/due/", views.due_hint, name="due_hint"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.task_photo, name="photo"),
    path("<int:pk>/photos/<int:photo_pk>/<slug:size>/", views.task_photo, name="photo_size"),
    # Chase notices (督办文书) and bulk handover (批量交办).
    path("chase/", views_chase.chase_list, name="chase_list"),
    path("chase/<int:pk>/", views_chase.chase_detail, name="chase_detail"),
    path("chase/<int:pk>/pdf/", views_chase.chase_pdf, name="chase_pdf"),
    path("bulk/", views_bulk.bulk_upload, name="bulk_upload"),
    path("bulk/confirm/", views_bulk.bulk_confirm, name="bulk_confirm"),
    path("bulk/template/", views_bulk.bulk_template, name="bulk_template"),
    # One URL per lifecycle action, named after it: tasks:sign, tasks:submit, tasks:approve …
    *[path(f"<int:pk>/{code}/", views.task_act, {"action": code}, name=code) for code in TRANSITIONS],
    # 转办 down the tree: one URL per hop step, tasks:relay_pass, tasks:relay_sign …
    *[path(f"<int:pk>/{code}/", views_relay.relay_step, {"action": code}, name=code) for code in RelayAction.values],
]
