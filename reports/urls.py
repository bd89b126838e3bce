from django.urls import path

from reports.views import bulletins, dashboard, runs, summaries

app_name = "reports"

urlpatterns = [
    path("", runs.index, name="index"),
    path("dossiers/new/", runs.dossier_request, name="dossier_request"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:pk>/download/", runs.run_download, name="run_download"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard.dashboard_export, name="dashboard_export"),
    path("dashboard/refresh/", dashboard.dashboard_refresh, name="dashboard_refresh"),
    path("summaries/", summaries.summary_list, name="summary_list"),
    path("summaries/new/", summaries.summary_new, name="summary_new"),
    path("summaries/<int:pk>/", summaries.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/<str:fmt>/", summaries.summary_download, name="summary_download"),
    path("bulletins/", bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/from-chase/", bulletins.bulletin_from_chase, name="bulletin_from_chase"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/<str:fmt>/", bulletins.bulletin_download, name="bulletin_download"),
]
