"""The form of one 转办 step: parsing and widgets only; the rules (who may, which units, which
deadline) are ``tasks.services.relay``'s and come back from it as ``TransitionError``."""

from __future__ import annotations

from django import forms

from campaign.models import OrgUnit
from tasks.forms import DateInput, MultipleFileField, UnitChoiceField
from tasks.models import RELAY_RULES, RelayAction


class RelayForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, code: str, targets=None, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        _, _, note_label, needs_note, needs_photos, _, _ = RELAY_RULES[code]
        note = self.fields["note"]
        note.label = note_label if needs_note else f"{note_label}（选填）"
        if needs_note:
            note.widget.attrs["required"] = True
        if code == RelayAction.PASS:
            # Any unit id parses; one not below the holder is refused by the service with its name.
            self.fields["to_unit"] = UnitChoiceField(
                label="转办给", required=False, empty_label="请选择下级单位",
                queryset=OrgUnit.objects.all(), error_messages={"invalid_choice": "所选单位不存在，请重新选择。"})
            self.fields["to_unit"].widget.choices = [("", "请选择下级单位")] + [
                (u.pk, "　" * max(u.depth - 1, 0) + u.name) for u in targets or []]
            self.fields["due_date"] = forms.DateField(
                label="转办期限", required=False, widget=DateInput(attrs={"required": True}),
                initial=limit, help_text=f"不得晚于本单位的期限 {limit:%Y-%m-%d}。" if limit else "")
        self.needs_photos = needs_photos
        if needs_photos:
            self.fields["photos"] = MultipleFileField(label="整改后照片")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"note": data.get("note", ""), "to_unit": data.get("to_unit"), "due_date": data.get("due_date"),
                "files": data.get("photos", [])}
