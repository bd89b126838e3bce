from django.urls import path
from django.views.generic import RedirectView

from .reference_views import calendar, indicators, matrix, oversight, sites

app_name = "reference"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reference:indicators"), name="index"),
    path("indicators/", indicators.indicator_tree_view, name="indicators"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("frameworks/", indicators.framework_list, name="framework_list"),
    path("frameworks/new/", indicators.framework_create, name="framework_create"),
    path("frameworks/<int:pk>/edit/", indicators.framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/activate/", indicators.framework_activate, name="framework_activate"),
    path("frameworks/<int:framework_pk>/indicators/new/", indicators.indicator_create, name="indicator_create"),
    path("sites/", sites.site_list, name="sites"),
    path("sites/new/", sites.site_create, name="site_create"),
    path("sites/<int:pk>/", sites.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", sites.site_edit, name="site_edit"),
    path("matrix/", matrix.responsibility_matrix, name="matrix"),
    path("matrix/new/", matrix.responsibility_create, name="responsibility_create"),
    path("matrix/<int:pk>/edit/", matrix.responsibility_edit, name="responsibility_edit"),
    path("matrix/<int:pk>/delete/", matrix.responsibility_delete, name="responsibility_delete"),
    path("routing/", matrix.routing_check, name="routing_check"),
    path("oversight/", oversight.oversight_list, name="oversight_list"),
    path("oversight/new/", oversight.oversight_create, name="oversight_create"),
    path("oversight/<int:pk>/edit/", oversight.oversight_edit, name="oversight_edit"),
    path("oversight/<int:pk>/delete/", oversight.oversight_delete, name="oversight_delete"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/add/", calendar.calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/delete/", calendar.calendar_delete, name="calendar_delete"),
    path("calendar/confirm/", calendar.calendar_confirm, name="calendar_confirm"),
]
