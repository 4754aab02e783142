"""Questions answered by one general mechanism each (issues 12 and 15, session 46): a question asking two things in
turn gets each clause's figure; the projects of a set named first and then narrowed by stage (项目里正在建的); the
open-problem projects narrowed by a ledger column; a sum that says how many projects it adds; the gain between two
periods asked with its verb (多进了); an amount asked in a unit no money has; a personal detail of a person the
documents name. Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

from decimal import Decimal

from assistant.answer.engine import Assistant
from tests.answer.demo_rows import indicator, q1_row, r2, rows


def test_each_clause_of_a_two_part_question_is_answered(assistant: Assistant) -> None:
    row = indicator("高新区", "2023Q2", "外商直接投资")
    completion = Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100
    gap = r2(Decimal(50) - Decimal(r2(completion)))
    answer = assistant.ask("上半年高新外资到位多少，比序时落后几个点")
    # the gap the whole question routes to leads; the amount the first clause asks stands beside it, from its own row
    assert f"{gap.rstrip('0').rstrip('.')}个百分点" in answer.answer.split("\n", 1)[0], answer.answer
    assert f"外商直接投资：{r2(Decimal(row['数值']))}万美元" in answer.answer, answer.answer
    assert answer.flagged_numbers == []
    # a county's project funds and its rank by the funds rate, each from its own tool
    projects = [p for p in rows("projects.csv") if p["地区"] == "汉滨区" and p["到位资金（亿元）"]]
    funds = sum(Decimal(p["到位资金（亿元）"]) for p in projects)
    answer = assistant.ask("汉滨项目到位资金多少，资金到位率在县区里排第几")
    assert f"{r2(funds)}亿元" in answer.answer and "资金到位率" in answer.answer and "排第" in answer.answer, answer.answer
    # one asking clause is one question, however many clauses set its scene
    answer = assistant.ask("高新在建的那几个项目，今年当年到位了多少钱")
    built = [p for p in rows("projects.csv") if p["地区"] == "高新区" and p["阶段"] == "开工"]
    this_year = sum(Decimal(p["当年到位资金（亿元）"]) for p in built if p["当年到位资金（亿元）"])
    assert f"{r2(this_year)}亿元（{len(built)} 个项目）" in answer.answer, answer.answer


def test_a_set_narrowed_by_stage_and_open_problems_by_a_column(assistant: Assistant) -> None:
    picked = [p for p in rows("projects.csv") if "分管农业" in p["包抓领导"] and p["阶段"] == "开工"]
    funds = sum(Decimal(p["到位资金（亿元）"]) for p in picked if p["到位资金（亿元）"])
    answer = assistant.ask("分管农业副市长包的项目里正在建的，累计到位资金多少")
    assert f"项目 {len(picked)} 个" in answer.answer and f"{r2(funds)}亿元" in answer.answer, answer.answer
    industry = {p["项目名称"] for p in rows("projects.csv") if "分管工业" in p["包抓领导"]}
    open_ones = {q["项目名称"] for q in rows("problems.csv") if q["状态"] != "已解决" and q["项目名称"] in industry}
    answer = assistant.ask("分管工业的副市长包抓的项目上，还挂着几个没办结的问题")
    lead = answer.answer.split("\n", 1)[0]
    assert f"项目 {len(open_ones)} 个" in lead and all(name in lead for name in open_ones), answer.answer
    others = {q["项目名称"] for q in rows("problems.csv") if q["状态"] != "已解决" and q["项目名称"]} - open_ones
    assert not any(name in lead for name in others), answer.answer


def test_the_gain_between_two_periods_asked_with_its_verb(assistant: Assistant) -> None:
    later = Decimal(indicator("高新区", "2023-07", "外商直接投资")["数值"])
    earlier = Decimal(q1_row("高新区")[6])  # (一季度 is the wide table's)
    answer = assistant.ask("高新区外资从一季度到7月底多进了多少万美元")
    gained = (later - earlier).normalize()
    assert f"增加{gained}万美元" in answer.answer, answer.answer


def test_an_amount_asked_in_a_unit_no_money_has(assistant: Assistant) -> None:
    answer = assistant.ask("白河县上半年内资到位多少公斤")
    assert "“公斤”不是实际引进内资的单位" in answer.answer and "【数据】" not in answer.answer, answer.answer
    # land is measured so: the unit is not refused where what is asked is so measured
    answer = assistant.ask("汉阴内资项目用地多少亩")
    assert "不是实际引进内资的单位" not in answer.answer, answer.answer


def test_a_personal_detail_of_a_person_the_documents_name(assistant: Assistant) -> None:
    # (the 项目管家 measures name 陈思远 as their contact, with an office phone and nothing else of his)
    for question, person in (("管家办法留的联系人陈思远是审批局哪个科室的，手机号能给一个吗", "联系人陈思远"),
                             ("张宏伟代表是哪个单位的，多大年纪", "张宏伟代表")):
        answer = assistant.ask(question)
        assert f"没有{person}的个人信息" in answer.answer, answer.answer
    # a person the database holds has a unit it records
    answer = assistant.ask("驻深圳联络处黄某是哪个单位的")
    assert "个人信息" not in answer.answer, answer.answer


def test_deadlines_falling_in_a_quarter(assistant: Assistant) -> None:
    due = [q for q in rows("problems.csv") if q["状态"] != "已解决" and "2023-07-01" <= q["办结时限"] <= "2023-09-30"]
    answer = assistant.ask("办结时限落在三季度的问题有几个？有已经过期的没")
    lead = answer.answer.split("\n", 1)[0]
    assert f"未办结问题 {len(due)} 个" in lead and all(q["编号"] in lead for q in due), answer.answer


def test_a_time_asked_of_a_step_the_ledger_does_not_record(assistant: Assistant) -> None:
    # the ledger dates 签约, 开工 and 投产; 试生产 is no step of it, so the project's card is no answer
    answer = assistant.ask("锂电隔膜项目一号车间调试完，啥时候能试生产")
    assert "没有“试生产”这项数据" in answer.answer and "【数据】" not in answer.answer, answer.answer
    started = next(p for p in rows("projects.csv") if p["项目名称"].startswith("碳基新材料"))["开工日期"]
    year, month, day = (int(x) for x in started.split("-"))
    answer = assistant.ask("碳基新材料项目什么时候开工的")
    assert f"{year}年{month}月{day}日" in answer.answer.split("\n", 1)[0], answer.answer
