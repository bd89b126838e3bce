"""Sheets as offices fill in their cells go in unedited: each corpus workbook is imported through
the pages (upload → preview, answering its questions → confirm) with every row understood."""

from datetime import date

import pytest

from campaign.models import Framework, Indicator, Membership, OrgUnit, Responsibility, TimeLimit, UnitAlias, User

from . import corpus_names as corpus
from .flow_names import answer, confirm, preview, question_ids, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(city, leader):
    return corpus.units_and_leaders(city)


@pytest.fixture
def clerk(client_for, office_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return client_for(office_clerk)


def duty(code: str) -> Responsibility:
    return Responsibility.objects.select_related("lead_unit", "leader", "time_limit").get(indicator__code=code)


def names(units) -> list[str]:
    return sorted(u.name for u in units.all())


def imported(clerk, data: bytes, **answers) -> str:
    token = upload(clerk, data)
    page = preview(clerk, token)
    assert 'data-testid="import-errors"' not in page
    if answers:
        page = answer(clerk, token, answers)
    assert 'data-testid="import-questions"' not in page and 'data-testid="import-ok"' in page, page[-3000:]
    done = confirm(clerk, token)
    assert "导入成功" in done
    return page


def test_group_names_expand_to_their_units(clerk, city, made):
    page = imported(clerk, corpus.group_names())

    districts = ["东湖区", "江北区"]
    departments = sorted(["市城市管理局", "市文化和旅游局", "市交通运输局", "市委宣传部"])
    assert "责任单位「各区人民政府」→ <span class=\"text-success\">东湖区、江北区</span>" in page
    first = duty("1.1.1.1")
    assert names(first.responsible_units) == districts and names(first.assisting_units) == departments
    second = duty("1.1.1.2")
    assert second.lead_unit == city.east  # 东湖区人民政府 is the district itself
    assert names(second.responsible_units) == ["江北街道", "湖滨街道"]
    third = duty("1.1.2.1")
    assert names(third.responsible_units) == departments and names(third.assisting_units) == districts
    assert Responsibility.objects.count() == 3


def test_leaders_with_titles_by_title_alone_and_a_new_one_from_the_preview(clerk, city, made):
    token = upload(clerk, corpus.leaders_with_titles())
    page = preview(clerk, token)
    asked = question_ids(page)
    assert list(asked) == ["李晓明（市长助理）"]
    qid = asked["李晓明（市长助理）"]

    page = answer(clerk, token, {f"q-{qid}": "new_leader", f"q-{qid}-unit": city.root.pk})
    assert "新建分管领导“李晓明”（江城市，市长助理" in page
    assert "确认导入" in page and "import-ok" in page
    assert "导入成功" in confirm(clerk, token)

    assert duty("1.1.1.1").leader == made["张伟"] and duty("1.1.1.2").leader == made["王建国"]
    assert duty("1.1.1.3").leader == made["王建国"] and duty("1.1.1.4").leader == made["张伟"]
    new = duty("1.1.1.5").leader
    assert new.full_name == "李晓明" and not new.has_usable_password()
    assert Membership.objects.get(user=new).title == "市长助理"


def test_free_text_time_limits_become_profiles_or_dates(clerk, city, made):
    token = upload(clerk, corpus.free_text_time_limits())
    page = preview(clerk, token)
    assert list(question_ids(page)) == ["视情况而定"]
    assert "完成时限「6月底前」→ <span class=\"text-success\">2026-06-30</span>" in page
    assert "据此交办的任务按 5 个工作日计完成时限" in page
    qid = question_ids(page)["视情况而定"]

    page = answer(clerk, token, {f"q-{qid}": "time", f"q-{qid}-limit": "date", f"q-{qid}-day": "2026-11-30"})
    assert "新建完成时限“长期坚持”" in page and "新建完成时限“7个工作日”" in page
    assert "导入成功" in confirm(clerk, token)

    got = {r.indicator.code: (r.time_limit.name, r.deadline) for r in Responsibility.objects.select_related(
        "indicator", "time_limit")}
    fixed = "指定日期"
    assert got == {
        "1.1.1.1": ("长期坚持", None), "1.1.1.2": ("长期坚持", None), "1.1.1.3": ("立即", None),
        "1.1.1.4": ("3个工作日", None), "1.1.1.5": ("7个工作日", None), "1.1.1.6": ("15日", None),
        "1.1.1.7": ("1个月", None), "1.1.1.8": (fixed, date(2026, 6, 30)), "1.1.1.9": (fixed, date(2026, 6, 30)),
        "1.1.1.10": (fixed, date(2026, 9, 30)), "1.1.1.11": (fixed, date(2026, 9, 30)),
        "1.1.1.12": (fixed, date(2026, 9, 30)), "1.1.1.13": (fixed, date(2026, 12, 31)),
        "1.1.1.14": (fixed, date(2026, 10, 15)), "1.1.1.15": (fixed, date(2026, 11, 30)),
    }
    standing = TimeLimit.objects.get(name="长期坚持")
    assert (standing.kind, standing.amount) == ("standing", 5)
    assert (TimeLimit.objects.get(name="15日").kind, TimeLimit.objects.get(name="1个月").amount) == ("days", 30)


def test_chinese_ordinals_number_a_four_level_tree_within_each_parent(clerk, city, made):
    page = imported(clerk, corpus.chinese_ordinals())

    assert "import-renumbered" not in page
    tree = list(Indicator.objects.order_by("sort_order").values_list("code", "level", "name"))
    assert tree == [
        ("1", 1, "思想道德建设"), ("1.1", 2, "理想信念教育"), ("1.1.1", 3, "理论武装"),
        ("1.1.1.1", 4, "党委理论学习中心组制定年度学习计划"), ("1.1.1.2", 4, "组建基层理论宣讲队伍"),
        ("1.1.2", 3, "公益广告"), ("1.1.2.1", 4, "公益广告设置规范、数量充足"),
        ("1.2", 2, "未成年人思想道德建设"), ("1.2.1", 3, "学校德育"), ("1.2.1.1", 4, "中小学开齐道德与法治课程"),
        ("2", 1, "市容环境"), ("2.1", 2, "环境卫生"), ("2.1.1", 3, "背街小巷"),
        ("2.1.1.1", 4, "路面无积存垃圾"), ("2.1.1.2", 4, "垃圾分类设施完好"),
    ]


def test_a_three_level_sheet_without_codes_is_numbered_and_the_numbers_shown(clerk, city, made):
    page = imported(clerk, corpus.absent_codes_three_levels())

    assert "编号对照：4 处编号由系统编排" in page
    tree = list(Indicator.objects.order_by("sort_order").values_list("code", "level", "name"))
    assert tree == [
        ("1", 1, "公共秩序"), ("1.1", 2, "交通秩序"), ("1.1.1", 3, "交通秩序"), ("1.1.1.1", 4, "机动车各行其道"),
        ("1.1.1.2", 4, "行人遵守交通信号"), ("1.2", 2, "窗口服务"), ("1.2.1", 3, "窗口服务"),
        ("1.2.1.1", 4, "窗口单位公示服务承诺"), ("2", 1, "市容环境"), ("2.1", 2, "环境卫生"), ("2.1.1", 3, "环境卫生"),
        ("2.1.1.1", 4, "路面无积存垃圾"),
    ]
    assert duty("1.2.1.1").lead_unit == city.bureau and duty("1.2.1.1").time_limit.name == "立即"


def test_old_names_resolve_and_answers_are_remembered_for_the_next_sheet(clerk, city, made):
    token = upload(clerk, corpus.old_names_and_aliases())
    page = preview(clerk, token)
    asked = question_ids(page)
    assert sorted(asked) == ["市数据局", "市文化广电旅游局"]
    assert "把『市文化广电旅游局』记为『市文旅局』的别名" in page

    page = answer(clerk, token, {"pick": f"{asked['市文化广电旅游局']}:alias:{made['文旅'].pk}"})
    assert list(question_ids(page)) == ["市数据局"]
    qid = asked["市数据局"]
    page = answer(clerk, token, {f"q-{qid}": "new_unit", f"q-{qid}-kind": "department", f"q-{qid}-parent": city.root.pk})
    assert "记“市文化广电旅游局”为“市文化和旅游局”的别名" in page and "新建单位“市数据局”" in page
    assert not UnitAlias.objects.filter(name="市文化广电旅游局").exists()  # nothing before confirm
    assert "导入成功" in confirm(clerk, token)

    first, second, third = duty("1.1.1.1"), duty("1.1.1.2"), duty("1.1.1.3")
    assert first.lead_unit == made["文旅"] and names(first.responsible_units) == ["市城市管理局"]
    assert names(first.assisting_units) == ["市交通运输局"]
    assert second.lead_unit == made["文旅"] and names(second.responsible_units) == ["东湖区"]
    assert second.indicator.methods == ["网上申报", "入户调查"]
    data_bureau = OrgUnit.objects.get(name="市数据局")
    assert third.lead_unit == data_bureau and data_bureau.parent == city.root and data_bureau.kind == "department"
    assert UnitAlias.objects.get(name="市文化广电旅游局").unit == made["文旅"]

    again = preview(clerk, upload(clerk, corpus.old_names_and_aliases(), edition="2026年版（修订）"))
    assert "import-questions" not in again and "import-ok" in again


def test_units_split_by_mixed_separators_blanks_and_line_breaks(clerk, city, made):
    imported(clerk, corpus.mixed_separators())

    first, second = duty("1.1.1.1"), duty("1.1.1.2")
    assert first.lead_unit == city.bureau
    assert names(first.responsible_units) == sorted(["东湖区", "江北区", "市城市管理局", "市交通运输局", "市文化和旅游局"])
    assert names(first.assisting_units) == ["市交通运输局", "市委宣传部"]
    assert names(second.responsible_units) == ["东湖区", "江北区"]
    assert second.time_limit.name == "3个工作日"


def test_nothing_is_written_until_confirm_and_a_wrong_answer_is_refused(clerk, city, made):
    token = upload(clerk, corpus.old_names_and_aliases())
    qid = question_ids(preview(clerk, token))["市数据局"]
    page = answer(clerk, token, {f"q-{qid}": "new_unit", f"q-{qid}-kind": "city", f"q-{qid}-parent": city.root.pk})
    assert "新建单位“市数据局”：请选择单位类型。没有保存任何回答。" in page
    page = answer(clerk, token, {f"q-{qid}": "alias", f"q-{qid}-unit": ""})
    assert "请选择它是哪个单位的别名" in page
    refused = confirm(clerk, token)
    assert "没有导入任何数据" in refused
    assert not Framework.objects.exists() and not OrgUnit.objects.filter(name="市数据局").exists()
    assert not User.objects.filter(full_name="李晓明").exists()


def test_an_unknown_time_limit_answered_with_an_existing_profile(clerk, city, made):
    token = upload(clerk, corpus.free_text_time_limits())
    qid = question_ids(preview(clerk, token))["视情况而定"]
    five = TimeLimit.objects.get(name="5个工作日")
    page = answer(clerk, token, {f"q-{qid}": "time", f"q-{qid}-limit": f"tl:{five.pk}"})
    assert "import-questions" not in page
    assert "导入成功" in confirm(clerk, token)
    assert duty("1.1.1.15").time_limit == five
