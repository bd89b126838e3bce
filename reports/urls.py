from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dossiers/new/", views.dossier_request, name="dossier_request"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/download/", views.run_download, name="run_download"),
]

# h8: the leader dashboard (领导驾驶舱).
from . import views_dashboard  # noqa: E402

urlpatterns += [
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views_dashboard.dashboard_export, name="dashboard_export"),
    path("dashboard/refresh/", views_dashboard.dashboard_refresh, name="dashboard_refresh"),
]

# h8: periodic summaries (工作简报) and 督查通报.
from . import views_bulletins, views_summaries  # noqa: E402

urlpatterns += [
    path("summaries/", views_summaries.summary_list, name="summary_list"),
    path("summaries/new/", views_summaries.summary_new, name="summary_new"),
    path("summaries/<int:pk>/", views_summaries.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/<str:fmt>/", views_summaries.summary_download, name="summary_download"),
    path("bulletins/", views_bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views_bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/from-chase/", views_bulletins.bulletin_from_chase, name="bulletin_from_chase"),
    path("bulletins/<int:pk>/", views_bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/<str:fmt>/", views_bulletins.bulletin_download, name="bulletin_download"),
]
