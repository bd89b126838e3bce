"""The import preview's questions: the office answers them (one click for the suggested answer)
and the preview is checked again with the answers. Nothing is written here; the answers are kept
with the pending upload and written, all or nothing, when the import is confirmed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from campaign.access import require
from campaign.forms.import_answers import AnswerError, read_answers
from campaign.services.spreadsheets import SheetError, pending
from campaign.views.imports import parse_entry


@require_POST
def answer(request, token):
    require(request.user, "imports.use")
    entry, data = pending.load(request, token, kind="framework")
    try:
        parsed = parse_entry(entry, data)
    except SheetError as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    try:
        given = read_answers(request.POST, parsed.questions)
    except AnswerError as exc:
        messages.error(request, f"{exc}没有保存任何回答。")
        return redirect("imports:preview", token=token)
    if not given:
        messages.warning(request, "没有选择任何回答。")
        return redirect("imports:preview", token=token)
    answers = {**entry["options"].get("answers", {}), **given}
    pending.set_option(request, token, "answers", answers)
    messages.success(request, f"已记下 {len(given)} 个回答（确认导入时才写入系统），请继续检查。")
    return redirect("imports:preview", token=token)


@require_POST
def forget(request, token):
    """Take back every answer given so far (e.g. a wrong alias) and ask again."""
    require(request.user, "imports.use")
    pending.load(request, token, kind="framework")
    pending.set_option(request, token, "answers", {})
    messages.info(request, "已撤销全部回答，请重新回答。")
    return redirect("imports:preview", token=token)
