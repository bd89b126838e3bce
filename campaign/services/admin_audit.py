"""Every change made through the Django admin leaves an audit Event, like changes made in the
portal. All ModelAdmins of the project derive from AuditedAdmin (a test checks it)."""

from django.contrib import admin

from campaign.services import event_record


class AuditedAdmin(admin.ModelAdmin):
    def construct_change_message(self, request, form, formsets, add=False):
        # The only hook that sees the form: keep the edited fields' values before and after for
        # log_change, so an admin edit reads in the trail like an edit in the portal.
        instance = getattr(form, "instance", None)  # the admin's password form has none
        if not add and instance is not None:
            instance._audit_changes = {
                name: [form.initial.get(name), form.cleaned_data.get(name)]
                for name in form.changed_data if "password" not in name
            }
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        event_record(actor=request.user, verb="admin.add", target=obj, summary=f"系统管理新增：{obj}")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = self._changed_fields(message)
        summary = f"系统管理修改：{obj}" + (f"（{'、'.join(fields)}）" if fields else "")
        event_record(actor=request.user, verb="admin.change", target=obj, summary=summary,
                     changes=getattr(obj, "_audit_changes", None))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            event_record(actor=request.user, verb="admin.delete", target=obj, summary=f"系统管理删除：{obj}")
        return super().log_deletions(request, queryset)

    @staticmethod
    def _changed_fields(message) -> list[str]:
        names = []
        for part in message if isinstance(message, list) else []:
            names.extend(str(f) for f in part.get("changed", {}).get("fields", []))
        return names
