from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html

from campaign.models import (
    CalendarDay,
    Event,
    Framework,
    Guardianship,
    Indicator,
    Membership,
    Notification,
    OrgUnit,
    Oversight,
    Responsibility,
    Site,
    SiteType,
    TimeLimit,
    User,
)
from campaign.services.admin_audit import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "email", "role_list", "is_active"]
    search_fields = ["username", "full_name", "phone", "email", "memberships__unit__name"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),)
    inlines = [MembershipInline]

    @admin.display(description="任职")
    def role_list(self, obj):
        return "；".join(f"{m.unit.display_name}·{m.get_role_display()}" for m in obj.memberships.select_related("unit"))


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["tree_name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    list_per_page = 200
    inlines = [MembershipInline]

    @admin.display(description="单位（按层级）", ordering="path")
    def tree_name(self, obj):
        return format_html('<span style="padding-left:{}em">{}{}</span>', obj.depth * 1.5, "└ " if obj.depth else "", obj.name)

    def get_readonly_fields(self, request, obj=None):
        # Moving a unit re-paths its subtree: the portal's 调整隶属 page does it (orgunit_move).
        return ["parent"] if obj else []


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "title", "start", "end"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ["created_at", "actor", "verb", "target_repr", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary", "target_repr", "actor__full_name"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ["created_at", "actor", "verb", "target_repr", "summary", "change_text", "unit"]

    @admin.display(description="变更前后")
    def change_text(self, obj):
        return "；".join(obj.change_lines) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(AuditedAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "emailed_at"]
    search_fields = ["title", "recipient__full_name", "recipient__username"]
    list_filter = ["read_at"]
    raw_id_fields = ["recipient"]


# --- reference data -------------------------------------------------------------------------------


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ["name", "year", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # Switching editions deactivates the previous one: the portal's 版本管理 does that in one step.
        return ["is_active"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "framework", "points", "is_negative"]
    list_filter = ["framework", "level", "is_negative"]
    search_fields = ["code", "name", "text"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["site_types"]
    ordering = ["framework", "sort_order", "path"]
    list_per_page = 200

    def get_readonly_fields(self, request, obj=None):
        # The tree position is fixed once created; re-coding re-paths the subtree (portal form does it).
        return ["framework", "parent", "level", "code"] if obj else []


@admin.register(SiteType)
class SiteTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = ["name", "site_type", "district", "street", "adopting_unit", "is_active", "is_chronic"]
    list_filter = ["site_type", "district", "is_active", "is_chronic"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["district", "street", "adopting_unit"]
    list_select_related = ["site_type", "district", "street", "adopting_unit"]


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedAdmin):
    list_display = ["indicator", "site_type", "site", "leader", "lead_unit", "basis", "time_limit"]
    list_filter = ["indicator__framework", "basis", "time_limit", "site_type"]
    search_fields = ["indicator__code", "indicator__name", "lead_unit__name"]
    autocomplete_fields = ["indicator", "site", "leader", "lead_unit", "responsible_units", "assisting_units"]
    list_select_related = ["indicator", "site_type", "site", "leader", "lead_unit", "time_limit"]


@admin.register(Oversight)
class OversightAdmin(AuditedAdmin):
    list_display = ["leader", "unit", "start", "end", "note"]
    list_filter = ["start", "end"]
    search_fields = ["leader__username", "leader__full_name", "unit__name"]
    autocomplete_fields = ["leader", "unit"]
    list_select_related = ["leader", "unit"]


@admin.register(Guardianship)
class GuardianshipAdmin(AuditedAdmin):
    list_display = ["leader", "unit", "community", "site", "start", "end", "note"]
    list_filter = ["start", "end"]
    search_fields = ["leader__username", "leader__full_name", "unit__name", "community__name", "site__name"]
    autocomplete_fields = ["leader", "unit", "community", "site"]
    list_select_related = ["leader", "unit", "community", "site"]


@admin.register(TimeLimit)
class TimeLimitAdmin(AuditedAdmin):
    list_display = ["name", "kind", "amount", "yellow_workdays", "sort_order"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "kind", "note", "created_by"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    readonly_fields = ["created_by"]
