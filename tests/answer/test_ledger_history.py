"""The ledger of a past date (6月底那期台账), projects picked by what they are not (不算制造业, 不在5+3产业链上),
months not counted from January (8月底到年底), a county's place in two periods and events held in a province, asked
as staff ask them, over the demo database. Phrasings written for this test, not taken from the evaluation set."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main


def test_the_ledger_of_a_past_date_lists_its_projects_as_it_recorded_them(assistant: Assistant) -> None:
    # the 2023-06-30 ledger: three projects in talks, 碳基新材料 among them (it was signed on 7月5日)
    answer = assistant.ask("6月30日那期台账里处在在谈阶段的项目有哪些")
    assert "2023年6月30日" in answer.answer and "共 3 个项目" in answer.answer, answer.answer
    assert "碳基新材料" in answer.answer and "锂电隔膜" not in answer.answer.split("【数据】")[0]
    counted = assistant.ask("7月21日的台账上一共有多少个项目")
    assert "共 40 个项目" in counted.answer, counted.answer  # the 7月25日 lead had not come in yet
    assert any(f.provenance.table == "projects" and f.provenance.row_ids for f in counted.figures)


def test_a_ledger_before_the_history_begins_is_said_to_be_missing(assistant: Assistant) -> None:
    result = CliRunner().invoke(main, ["figures", "project-list", "--ledger-on", "2023-05-31", "--json"],
                                env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert result.exit_code == 0, result.output
    assert "台账历史从2023年6月30日开始" in json.loads(result.output)["summary"]


def test_projects_are_picked_by_what_they_are_not(assistant: Assistant) -> None:
    off_chain = assistant.ask("哪些项目没在5+3重点产业链上")
    assert "不在“5+3”重点产业链上的项目 5 个" in off_chain.answer, off_chain.answer
    assert "冷链物流园" in off_chain.answer and "锂电隔膜" not in off_chain.answer
    not_made = assistant.ask("续建的项目里有哪几个不属于制造业")
    assert "非制造业" in not_made.answer and "中医药康养" in not_made.answer, not_made.answer
    graded = assistant.ask("B类线索的项目有几个")  # the lead's grade, not the 线索 stage
    assert "线索等级为B的项目 18 个" in graded.answer, graded.answer


def test_months_not_from_january_are_the_later_total_less_the_earlier(assistant: Assistant) -> None:
    answer = assistant.ask("全市内资从8月底到年底又完成了多少")
    assert "9-12月单独完成334.05亿元" in answer.answer, answer.answer


def test_a_place_asked_of_two_periods_is_the_place_in_each(assistant: Assistant) -> None:
    answer = assistant.ask("汉阴县内资完成进度的名次，上半年比一季度是升是降")
    lead = answer.answer.split("\n")[0]
    assert "名次由" in lead and "第7名" in lead and ("上升" in lead or "下降" in lead or "不变" in lead), lead


def test_events_held_in_a_province_are_those_of_its_cities(assistant: Assistant) -> None:
    answer = assistant.ask("2019年在广东搞了几场招商活动")
    assert "2 场" in answer.answer and "广州" in answer.answer and "汕头" in answer.answer, answer.answer


def test_a_project_says_how_long_it_has_been_at_its_stage(assistant: Assistant) -> None:
    answer = assistant.ask("储能电站项目签约到现在多长时间了")
    assert "已 50 天" in answer.answer, answer.answer  # 6月8日 to the ledger's 7月28日


def test_funds_since_a_month_are_added_up_by_county(assistant: Assistant) -> None:
    # 7月以来: the ledger in force on 7月1日 (the 6月30日 one) against the latest; 碳基新材料 1.20 + 光伏 0.20 in 汉阴县
    answer = assistant.ask("6月以来到现在，哪个县区的项目新到位资金最多")
    assert "分县区：" in answer.answer, answer.answer
    since_july = assistant.ask("7月以来哪个县区项目到位资金增加得最多")
    assert "分县区：汉阴县 1.40亿元" in since_july.answer, since_july.answer


def test_projects_by_stage_words_empty_columns_and_the_smallest(assistant: Assistant) -> None:
    building = assistant.ask("高新区在建项目有哪些")  # 在建 is the ledger's word for 开工
    assert building.answer.startswith("共 5 个项目"), building.answer
    unsigned = assistant.ask("还没签约的制造业项目有几个")
    assert "4 个" in unsigned.answer.split("\n")[0] and "锂电隔膜" not in unsigned.answer, unsigned.answer
    no_manager = assistant.ask("哪些项目还没有配项目管家")
    assert "项目管家未填的项目 3 个" in no_manager.answer, no_manager.answer
    smallest = assistant.ask("富硒食品产业链投资最小的项目是哪个")
    assert "富硒饮用水生产线" in smallest.answer.split("；")[0], smallest.answer


def test_a_rule_named_is_answered_from_its_text_not_the_ledger(assistant: Assistant) -> None:
    plan = assistant.route("考核办法里制造业项目到位资金占比那项占几分")
    assert not plan.calls, plan
    assert assistant.route("一季度考核恒口得了多少分").calls  # a county's score is the scheme's figures
