from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from campaign.views import (
    account,
    calendar,
    guardianship,
    health,
    home,
    imports,
    indicators,
    matrix,
    oversight,
    sites,
    units,
)

admin.site.site_header = "创文通 · 系统管理"
admin.site.site_title = "创文通"
admin.site.index_title = "基础数据与账号管理"

# The base app's pages, in three namespaces: campaign (people and notices), reference (the
# indicator system, sites, matrix, calendar) and imports (spreadsheets in and out).
campaign_patterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("inbox/", home.inbox, name="inbox"),
    path("inbox/read-all/", home.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", home.notification_open, name="notification_open"),
    path("profile/", account.profile, name="profile"),
    path("health/", health.health, name="health"),
]

reference_patterns = [
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
    path("guardianship/", guardianship.guardianship_list, name="guardianship_list"),
    path("guardianship/new/", guardianship.guardianship_create, name="guardianship_create"),
    path("guardianship/<int:pk>/edit/", guardianship.guardianship_edit, name="guardianship_edit"),
    path("guardianship/<int:pk>/delete/", guardianship.guardianship_delete, name="guardianship_delete"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/add/", calendar.calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/delete/", calendar.calendar_delete, name="calendar_delete"),
    path("calendar/confirm/", calendar.calendar_confirm, name="calendar_confirm"),
]

import_patterns = [
    path("", imports.index, name="index"),
    path("upload/<str:kind>/", imports.upload, name="upload"),
    path("preview/<uuid:token>/", imports.preview, name="preview"),
    path("preview/<uuid:token>/confirm/", imports.confirm, name="confirm"),
    path("preview/<uuid:token>/discard/", imports.discard, name="discard"),
    path("template/<str:kind>.xlsx", imports.template, name="template"),
    path("export/framework/<int:pk>.xlsx", imports.export_framework, name="export_framework"),
    path("export/sites.xlsx", imports.export_sites, name="export_sites"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("", include((campaign_patterns, "campaign"))),
    path("accounts/login/", account.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=account.PortalPasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("reference/", include((reference_patterns, "reference"))),
    path("imports/", include((import_patterns, "imports"))),
    path("tasks/", include("tasks.urls")),
    path("inspections/", include("inspections.urls")),
    path("archives/", include("archives.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
