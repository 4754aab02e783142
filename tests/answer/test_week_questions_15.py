"""Questions answered by one general mechanism each (issues 12 and 15, session 42): what a document's 附注 and 版记
lines write (联系人, 电话, 抄送) asked of the document named; several values of one ledger column named and each asked
(A、B、C三档各是多少, 两条链各多少): those groups side by side; a day typed in figures (7.14那期台账); the set of
companies named before which of them is asked (目标企业里…是哪家); who first met the investors of the projects just
listed (这几个分别是谁首谈的); the county of the project just asked about pointed at (那个县). Expected values are read
from corpus/ and corpus/data with the standard library."""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal

import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA, q1_row
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows

REPLY_205 = DATA.parent / "2023-07_答复函_市政协五届二次会议第205号提案.txt"
HANZHONG = DATA.parent / "2023-10_答复函_汉中市九届人大三次会议第56号建议.txt"
Q1_REPORT = DATA.parent / "2023-04_工作报告_2023年一季度全市招商引资工作情况.txt"
SIGNED = ("签约", "开工", "投产")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    # (a document is named by the heading words few other documents share: a handful of documents, as users hold)
    return assistant_with_data(tmp_path_factory, [REPLY_205, HANZHONG, *(DATA.parent / name for name in (
        "2023-08_答复函_市五届人大二次会议第78号建议.md", "2023-09_答复函_市政协五届二次会议第167号提案.docx",
        "2023-05_政策_重点招商项目项目管家帮办代办服务办法.md", "2023-03_政策_关于建立招商项目信息共享机制的实施办法.txt",
        Q1_REPORT.name))])


def _footer(path: str | object, label: str) -> str:
    text = REPLY_205.read_text(encoding="utf-8") if path == "205" else HANZHONG.read_text(encoding="utf-8")
    return {"抄送": re.search(r"抄送：([^。\n]+)", text), "联系人": re.search(r"联系人：([\u4e00-\u9fa5]+)", text),
            "电话": re.search(r"电话：([\d-]+)", text)}[label].group(1)  # type: ignore[union-attr]


def _funds_rate(rows: list[dict[str, str]]) -> str:
    money = [p for p in rows if p["阶段"] in SIGNED and p["总投资（亿元）"] and p["到位资金（亿元）"]]
    return _r2(sum(Decimal(p["到位资金（亿元）"]) for p in money) / sum(Decimal(p["总投资（亿元）"]) for p in money) * 100)


def test_a_documents_footer_lines_answer_who_to_call_and_who_was_copied(assistant: Assistant) -> None:
    copied = assistant.ask("汉市经合函41号那份答复抄送给谁了")
    assert f"的抄送单位是{_footer('hz', '抄送')}。[1]" in copied.answer, copied.answer
    assert copied.citations and copied.citations[0].source.endswith(HANZHONG.name)
    person = assistant.ask("205号提案答复函的联系人是谁").answer
    assert f"的联系人是{_footer('205', '联系人')}。" in person, person
    phone = assistant.ask("205号提案那份答复函，经办人留的电话多少")
    assert f"的联系电话是{_footer('205', '电话')}。" in phone.answer and phone.flagged_numbers == [], phone.answer


def test_values_of_one_column_named_and_each_asked_are_set_side_by_side(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    answer = assistant.ask("线索等级A、B、C三档，签了约的项目资金到位率各是多少？哪档最高").answer
    rates = {g: _funds_rate([p for p in projects if p["线索等级"] == g]) for g in "ABC"}
    for grade, rate in rates.items():
        assert f"{grade} {rate}%" in answer, answer
    best = max(rates, key=lambda g: Decimal(rates[g]))
    assert f"最高的是{best}（{rates[best]}%）" in answer, answer
    chains = assistant.ask("文旅康养、生物医药这两条链，今年当年到位资金各多少").answer
    for chain in ("文旅康养", "生物医药"):
        total = sum(Decimal(p["当年到位资金（亿元）"] or 0) for p in projects if p["产业链"] == chain)
        assert f"{chain} {_r2(total)}亿元" in chains, chains
    assert "富硒食品" not in chains.split("【")[0]  # only the two chains named


def test_a_day_typed_in_figures_names_the_issue_of_the_ledger(assistant: Assistant) -> None:
    with (DATA / "history" / "projects_2023-07-14.csv").open(encoding="utf-8-sig") as f:
        issue = [r for r in csv.DictReader(f) if r["地区"] == "旬阳市"]
    asked = assistant.ask("7.14那期台账旬阳资金到位率多少")
    answer = asked.answer
    assert answer.startswith(f"截至2023年7月14日台账，旬阳市项目资金到位率{_funds_rate(issue)}%"), answer
    assert "“7.14”按“7月14日”理解" in answer and asked.flagged_numbers == []  # (the asker's own words, quoted back)
    assert "7月14日" not in assistant.ask("旬阳1到7月内资增长7.14了吗").answer.split("【")[0]  # a decimal stays one


def test_which_member_of_a_named_set_of_companies_is_listed_from_the_companies(assistant: Assistant) -> None:
    signed = [e["企业名称"] for e in _rows("enterprises.csv") if e["类别"] == "外资" and e["对接状态"] == "已签约"]
    answer = assistant.ask("外资类的目标企业里，已经签约的是哪家").answer
    assert signed and all(name in answer for name in signed), answer
    assert "项目数据库 enterprises 表" in answer


def test_follow_ups_ask_a_column_by_its_verb_and_point_at_the_county(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    ziyang = [p for p in projects if p["地区"] == "紫阳县"]
    answer = assistant.ask("这几个分别是谁首谈的", history=["紫阳县有哪些项目"]).answer
    for p in ziyang:
        assert f"{p['项目名称']}（紫阳县，{p['阶段']}" in answer and p["来源/首谈单位"] in answer, answer
    project = next(p for p in projects if p["项目名称"].startswith("电商物流分拨中心"))
    county = [p["项目名称"] for p in projects if p["地区"] == project["地区"]]
    others = assistant.ask("那个县台账上还有哪些项目", history=["电商物流分拨中心项目是哪个县区的"]).answer
    assert f"共 {len(county)} 个项目" in others and all(name in others for name in county), others


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def test_a_bound_on_the_days_between_two_steps_lists_the_projects_beyond_it(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    spans = {p["项目名称"]: (s - d).days for p in projects if (d := _day(p["签约日期"])) and (s := _day(p["开工日期"]))}
    asked = assistant.ask("签约后超过45天才开工的项目有哪些")
    answer = asked.answer
    assert asked.flagged_numbers == []
    slow = sorted((n for n, days in spans.items() if days > 45), key=lambda n: -spans[n])
    assert answer.startswith(f"签约后超过 45 天才开工的项目共 {len(slow)} 个："), answer
    for name in slow:
        assert f"{name}（" in answer and f"用了 {spans[name]} 天）" in answer, answer
    fast = [n for n, days in spans.items() if days < 30]
    quick = assistant.ask("签约不到一个月就开工的项目有哪些").answer
    assert quick.startswith(f"签约后不到 30 天就开工的项目共 {len(fast)} 个："), quick


def test_the_funding_gap_asked_at_its_largest_names_the_project_and_the_gap(assistant: Assistant) -> None:
    signed = [p for p in _rows("projects.csv") if p["阶段"] in SIGNED and p["总投资（亿元）"] and p["到位资金（亿元）"]]
    gaps = {p["项目名称"]: Decimal(p["总投资（亿元）"]) - Decimal(p["到位资金（亿元）"]) for p in signed}
    top = max(gaps, key=lambda n: gaps[n])
    answer = assistant.ask("签了约的项目里，总投资减掉已到位的，还差钱最多的是哪个？差多少")
    assert answer.answer.startswith(f"资金缺口（总投资减到位资金）最大的是{top}（"), answer.answer
    assert f"还差{_r2(gaps[top])}亿元" in answer.answer and answer.flagged_numbers == [], answer.answer


def test_it_and_he_point_at_the_one_project_or_person_the_answer_before_named(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    waiting = [p for p in projects if p["地区"] == "高新区" and p["阶段"] == "签约"]
    assert len(waiting) == 1
    deadline = _day(waiting[0]["约定开工期限"])
    assert deadline is not None
    answer = assistant.ask("合同约定它最晚啥时候开工", history=["高新区有哪些项目", "高新区签了约还没开工的是哪个项目"]).answer
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in answer and waiting[0]["项目名称"] in answer, answer
    butler = next(p["项目管家"] for p in projects if p["项目名称"].startswith("瀛湖康养度假区"))
    managed = [p["项目名称"] for p in projects if p["项目管家"] == butler]
    count = assistant.ask("他手上一共管着几个项目", history=["瀛湖康养度假区的项目管家是谁"]).answer
    assert f"项目管家为{butler}的项目 {len(managed)} 个" in count and all(n in count for n in managed), count


def test_the_opening_of_a_named_document_is_where_its_own_assessment_is_read(assistant: Assistant) -> None:
    """一开头怎么评价的: the first paragraph of content of the report (not its title, date or notice lines)."""
    opening = next(p for p in Q1_REPORT.read_text(encoding="utf-8").split("\n") if p.count("。") >= 2)
    verdict = re.search(r"外资进度[^，。]*", opening)
    assert verdict is not None
    answer = assistant.ask("一季度报告一开头对外资进度是怎么评价的，跟预想比咋样").answer
    assert verdict.group(0) in answer, answer


def test_a_reason_asked_of_a_places_given_figure_is_declined_when_no_passage_gives_one(assistant: Assistant) -> None:
    """汉阴县…下降了18.35%，主要是啥原因: the report lists the figure but gives no reason for that county; restating the
    figure, or quoting another county's reasons, is no answer."""
    answer = assistant.ask("汉阴县一季度内资同比下降了18.35%，主要是啥原因？")
    assert answer.answer.startswith("知识库文档中没有找到对这一情况原因的分析"), answer.answer
    assert not answer.figures and not answer.citations


def test_a_reason_asked_of_a_premise_the_data_contradicts_shows_the_figure(assistant: Assistant) -> None:
    """石泉…下降了17.79%: it rose 17.79%; the figure is shown (correcting the premise), not a decline of the reason."""
    growth = Decimal(q1_row("石泉县")[2].rstrip("%"))
    assert growth > 0
    answer = assistant.ask(f"石泉一季度内资同比下降了{_r2(growth)}%，主要是啥原因").answer
    assert f"同比增长{_r2(growth)}%" in answer, answer
