"""Week questions answered by one general mechanism each (issues 12 and 15): how much a figure moved between the
periods a conversation asked (一个月涨了几个点 after 上半年…, 1-7月呢; 降幅收窄了多少), a signed project's own
资金到位率, the companies not visited within a number of days (一个多月没去对接过的, never-visited ones too), a
stage said with 了 and no 项目 (签了约没开工的，总投资加起来多少).
Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA
from tests.answer.demo_rows import indicator as _indicator
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-08_政策_安康市招商引资高质量发展考核评价办法（试行）.docx"])


def _completion(row: dict[str, str]) -> Decimal:
    return Decimal(_r2(Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100))


def test_a_move_between_the_periods_the_conversation_asked(assistant: Assistant) -> None:
    q2, july = _indicator("汉滨区", "2023Q2"), _indicator("汉滨区", "2023-07")
    gap = _completion(july) - _completion(q2)
    answer = assistant.ask("一个月涨了几个点", ["汉滨上半年内资完成进度多少", "1-7月呢"]).answer
    assert f"提高{_r2(gap)}个百分点" in answer, answer
    # a rate of change (同比) moving between the period asked before and the one named now
    before, after = _indicator("平利县", "2023Q2"), _indicator("平利县", "2023-07")
    moved = Decimal(after["同比"].rstrip("%")) - Decimal(before["同比"].rstrip("%"))
    narrowed = assistant.ask("那到7月底呢？降幅收窄了多少", ["平利上半年内资同比多少"]).answer
    assert f"{_r2(abs(moved))}个百分点" in narrowed and "降幅" not in narrowed.split("【")[0], narrowed


def test_a_signed_projects_own_funds_rate(assistant: Assistant) -> None:
    row = next(r for r in _rows("projects.csv") if r["项目名称"].startswith("钒钛新材料"))
    rate = Decimal(row["到位资金（亿元）"]) / Decimal(row["总投资（亿元）"]) * 100
    answer = assistant.ask("钒钛新材料项目资金到位率多少").answer
    assert f"资金到位率 {_r2(rate)}%" in answer, answer


def test_companies_not_visited_within_a_month(assistant: Assistant) -> None:
    as_of = date.fromisoformat(_rows("projects.csv")[0]["填报日期"])
    last: dict[str, date] = {}
    for c in _rows("contacts.csv"):
        day = date.fromisoformat(c["日期"])
        last[c["企业名称"]] = max(day, last.get(c["企业名称"], day))
    tracked = [e["企业名称"] for e in _rows("enterprises.csv") if e["对接状态"] == "跟踪中"]
    quiet = [n for n in tracked if n not in last or (as_of - last[n]).days > 30]
    recent = [n for n in tracked if n in last and (as_of - last[n]).days <= 30]
    assert quiet and recent  # the data has both, so the filter is tested
    answer = assistant.ask("跟踪中的企业里，一个多月没去对接过的有哪几家").answer
    lead = answer.split("\n")[0]
    assert f"共 {len(quiet)} 家" in lead and all(n in lead for n in quiet), answer
    assert not any(n in lead for n in recent), answer


def test_signed_not_started_added_up_in_an_earlier_issue(assistant: Assistant) -> None:
    issue = _rows("history/projects_2023-07-14.csv")
    signed = [r for r in issue if r["阶段"] == "签约"]
    total = sum(Decimal(r["总投资（亿元）"]) for r in signed)
    answer = assistant.ask("7月14号那期台账上签了约没开工的，总投资加起来多少").answer
    assert f"共 {len(signed)} 个项目，总投资 {_r2(total)}亿元" in answer, answer


def test_a_column_left_empty_said_with_a_verb_before_it(assistant: Assistant) -> None:
    # 还没落实包抓领导: 落实 is the verb, not the 落实单位 (责任单位) column left empty
    rows = [r for r in _rows("projects.csv") if r["线索等级"] == "A" and not r["包抓领导"]]
    assert rows
    answer = assistant.ask("A级线索里还没落实包抓领导的有哪些").answer
    assert f"线索等级为A、包抓领导未填的项目 {len(rows)} 个" in answer and "责任单位未填" not in answer, answer


def test_how_long_an_open_problem_has_waited(assistant: Assistant) -> None:
    row = next(r for r in _rows("problems.csv") if r["编号"] == "WT-2023-003")
    as_of = date.fromisoformat(_rows("projects.csv")[0]["填报日期"])
    waited = (as_of - date.fromisoformat(row["提出日期"])).days
    answer = assistant.ask("这问题是哪天提出来的？到台账日期已经挂了多少天", ["锂电隔膜那个供电问题现在咋样了"]).answer
    assert f"截至台账日期已 {waited} 天" in answer, answer


def test_the_month_with_the_most_signings(assistant: Assistant) -> None:
    months = Counter(r["签约日期"][:7] for r in _rows("projects.csv") if "2023-01" <= r["签约日期"][:7] <= "2023-03")
    (top, n), *_ = months.most_common(1)
    assert list(months.values()).count(n) == 1  # one month leads, so the answer names it alone
    answer = assistant.ask("今年一季度三个月里哪个月签的项目最多").answer
    assert f"项目个数最多的是2023年{int(top[5:])}月（{n}个）" in answer, answer
    lead = answer.split("\n")[0]
    assert sum(months.values()) == sum(int(x) for x in re.findall(r"2023年\d月 (\d+)个", lead)), answer


def test_a_deadline_month_with_the_projects_that_started_on_time_or_late(assistant: Assistant) -> None:
    may = [r for r in _rows("projects.csv") if r["约定开工期限"].startswith("2023-05")]
    started = [r for r in may if r["开工日期"]]
    on_time = [r for r in started if r["开工日期"] <= r["约定开工期限"]]
    assert started and len(started) < len(may)  # both kinds are in the data, so both counts are tested
    answer = assistant.ask("约定5月份开工的项目有几个，有没有没按时开的").answer
    assert (f"项目共 {len(may)} 个：按期开工 {len(on_time)} 个" in answer
            and f"逾期开工 {len(started) - len(on_time)} 个，尚未开工 {len(may) - len(started)} 个" in answer), answer


def test_which_one_of_a_countys_projects_a_flag_column_denies(assistant: Assistant) -> None:
    # 哪个不是制造业: the projects the 制造业 column says 否 of, listed (哪个 asks which, as 哪些 does)
    rows = [r for r in _rows("projects.csv") if r["地区"] == "汉阴县" and r["制造业"] == "否"]
    answer = assistant.ask("汉阴的项目里哪个不是制造业").answer.split("\n")[0]
    assert f"非制造业的项目 {len(rows)} 个" in answer and all(r["项目名称"] in answer for r in rows), answer


def test_several_offices_named_are_each_answered(assistant: Assistant) -> None:
    offices = {r["简称"].split("、")[-1]: r["负责人"] for r in _rows("offices.csv")}
    answer = assistant.ask("北京办和上海办的负责人分别是谁").answer.split("\n")[0]
    assert f"负责人{offices['北京办']}" in answer and f"负责人{offices['上海办']}" in answer, answer
