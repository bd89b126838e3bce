from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="index"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/distribute/", views.round_distribute, name="round_distribute"),
    path("rounds/<int:pk>/assign/<int:planned_pk>/", views.roundsite_assign, name="roundsite_assign"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/raise/", views.round_raise, name="round_raise"),
    path("rounds/<int:pk>/report/", views.round_report, name="round_report"),
    path("rounds/<int:pk>/report.xlsx", views.round_report_xlsx, name="round_report_xlsx"),
    path("rounds/<int:pk>/sites/", views.visit_pick, name="visit_pick"),
    path("rounds/<int:pk>/sites/<int:site_pk>/start/", views.visit_start, name="visit_start"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/capture/", views.visit_capture, name="visit_capture"),
    path("visits/<int:pk>/autosave/", views.visit_autosave, name="visit_autosave"),
    path("visits/<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/<str:size>/", views.photo_image, name="photo"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/raise/", views.finding_raise, name="finding_raise"),
    path("rechecks/", views.recheck_list, name="recheck_list"),
    path("mine/", views.my_visits, name="my_visits"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/<int:site_type_pk>/", views.checklist_create, name="checklist_create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
]
