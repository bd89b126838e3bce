from django.urls import path

from . import views_import

app_name = "imports"

urlpatterns = [
    path("", views_import.index, name="index"),
    path("upload/<str:kind>/", views_import.upload, name="upload"),
    path("preview/<uuid:token>/", views_import.preview, name="preview"),
    path("preview/<uuid:token>/confirm/", views_import.confirm, name="confirm"),
    path("preview/<uuid:token>/discard/", views_import.discard, name="discard"),
    path("template/<str:kind>.xlsx", views_import.template, name="template"),
    path("export/framework/<int:pk>.xlsx", views_import.export_framework, name="export_framework"),
    path("export/sites.xlsx", views_import.export_sites, name="export_sites"),
]
