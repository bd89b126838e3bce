from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html

from .admin_audit import AuditedAdmin
from .models import Event, Membership, Notification, OrgUnit, User


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
        # Moving a unit re-paths its subtree; the admin does not offer it to keep paths consistent.
        return ["parent"] if obj else []


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ["created_at", "actor", "verb", "target_repr", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary", "target_repr", "actor__full_name"]
    date_hierarchy = "created_at"

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
