"""``{% answer_choices as choices %}``: the units, leaders and time limits the import preview's
question cards offer (campaign/forms/import_answers.py)."""

from django import template

from campaign.forms.import_answers import answer_choices as choices

register = template.Library()


@register.simple_tag
def answer_choices():
    return choices()
