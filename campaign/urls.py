from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "创文通 · 系统管理"
admin.site.site_title = "创文通"
admin.site.index_title = "基础数据与账号管理"

campaign_patterns = (
    [
        path("units/", views.unit_list, name="unit_list"),
        path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
        path("inbox/", views.inbox, name="inbox"),
        path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
        path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
        path("profile/", views.profile, name="profile"),
        path("health/", views.health, name="health"),
    ],
    "campaign",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(campaign_patterns)),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=views.PortalPasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("reference/", include("campaign.urls_reference")),
    path("imports/", include("campaign.urls_import")),
    path("tasks/", include("tasks.urls")),
    path("inspections/", include("inspections.urls")),
    path("archives/", include("archives.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
