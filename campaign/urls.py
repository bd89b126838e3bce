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
    import_questions,
    imports,
    indicators,
    matrix,
    names,
    oversight,
    reorg,
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
    # 机构改革: rename, move, merge and split units, and the record of the changes made.
    path("units/changes/", reorg.change_list, name="reorg_list"),
    path("units/merge/", reorg.unit_merge, name="unit_merge"),
    path("units/<int:pk>/rename/", reorg.unit_rename, name="unit_rename"),
    path("units/<int:pk>/move/", reorg.unit_move, name="unit_move"),
    path("units/<int:pk>/split/", reorg.unit_split, name="unit_split"),
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
    path("names/", names.names, name="names"),
    path("names/groups/new/", names.group_create, name="unit_group_create"),
    path("names/groups/<int:pk>/edit/", names.group_edit, name="unit_group_edit"),
    path("names/groups/<int:pk>/delete/", names.group_delete, name="unit_group_delete"),
    path("names/aliases/new/", names.alias_create, name="unit_alias_create"),
    path("names/aliases/<int:pk>/edit/", names.alias_edit, name="unit_alias_edit"),
    path("names/aliases/<int:pk>/delete/", names.alias_delete, name="unit_alias_delete"),
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
    path("preview/<uuid:token>/mapping/", imports.mapping, name="mapping"),
    path("preview/<uuid:token>/discard/", imports.discard, name="discard"),
    path("preview/<uuid:token>/answer/", import_questions.answer, name="answer"),
    path("preview/<uuid:token>/forget/", import_questions.forget, name="forget"),
    path("template/<str:kind>.xlsx", imports.template, name="template"),
    path("export/framework/<int:pk>.xlsx", imports.export_framework, name="export_framework"),
    path("export/sites.xlsx", imports.export_sites, name="export_sites"),
    path("export/units.xlsx", imports.export_units, name="export_units"),
    path("export/people.xlsx", imports.export_people, name="export_people"),
    path("accounts/<uuid:token>/", imports.accounts, name="accounts"),
    path("accounts/<uuid:token>/download/", imports.accounts_download, name="accounts_download"),
    path("accounts/<uuid:token>/forget/", imports.accounts_forget, name="accounts_forget"),
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
