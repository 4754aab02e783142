"""The time a question asks about against the time a passage speaks of (issue 14): a 政府工作报告 gives the same
indicator for the past five years, for last year and as this year's target, in the same words. Asked about 去年,
`assistant search` puts the passage about last year first, not the five-year one or this year's target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.index.timescope import Time, asked_times, document_times, plan_years, relation

# Each paragraph is long enough (≥ 120 characters) to be its own passage. The 2025 figures sit in a paragraph that
# does not repeat the year: the one before it opened with 刚刚过去的2025年.
REPORT = """2026年北川省政府工作报告
——2026年1月20日在北川省第十四届人民代表大会第五次会议上
各位代表：
现在，我代表省人民政府向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。
一、“十四五”时期工作回顾
过去五年，全省经济实力跃上新台阶，粮食总产量稳定在1300亿斤以上，规上工业增加值年均增长6.1%，居民人均可支配收入从27136元增长到36439元，城镇新增就业累计260万人，全省上下团结奋斗，交出了一份殊为不易、令人振奋的高质量发展答卷。
刚刚过去的2025年，面对外部环境复杂变化、市场有效需求不足等多重困难挑战，全省上下迎难而上、攻坚克难，经济运行稳中有进、持续向好，主要目标任务圆满完成，为“十五五”开局打下坚实基础，经济社会发展各方面工作都取得了新的重要进展和十分明显的成效。
农业生产再获丰收，全省粮食总产量1350.97亿斤、增长2.1%，规上工业增加值增长8.4%，城镇新增就业52.3万人，居民人均可支配收入增长5.6%，全年地区生产总值增长5.6%，一般公共预算收入增长2%，各项民生支出得到有力保障，社会大局保持和谐稳定。
二、2026年主要工作
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，粮食总产量稳定在1300亿斤以上，城镇新增就业50万人以上，城镇调查失业率5.5%左右，居民人均可支配收入增长与经济增长同步，单位地区生产总值能耗持续下降，生态环境质量保持稳中向好的态势。
"""


def test_times_in_questions_are_read_from_the_document_s_year() -> None:
    assert asked_times("去年粮食总产量多少", 2026) == [Time(2025, 2025)]
    assert asked_times("今年新增就业目标", 2026) == [Time(2026, 2026)]
    assert asked_times("五年里居民收入从多少涨到多少", 2026) == [Time(2021, 2025)]
    assert asked_times("“十四五”期间利用外资增长多少", 0) == [Time(2021, 2025)]
    # a point in time: the end of a span answers it too
    assert asked_times("“十四五”末地区生产总值多少", 0) == [Time(2021, 2025, until=True)]
    assert asked_times("全省GDP到2025年是多少万亿", 0) == [Time(2025, 2025, until=True)]
    assert asked_times("项目核准后多长时间不开工要申请延期", 2016) == []  # no time asked
    assert asked_times("今年经济增长目标", 0) == []  # a relative word needs the document's year
    assert plan_years("十五") == (2026, 2030) and plan_years("十一") == (2006, 2010)


def test_a_passage_is_about_the_time_it_opens_with_else_the_one_before_it_else_its_heading() -> None:
    passages = [
        ("各位代表！过去五年，全省经济实力跃上新台阶。", "一、“十四五”时期工作回顾"),
        ("刚刚过去的2025年，全省上下攻坚克难。", "一、“十四五”时期工作回顾"),
        ("全省粮食总产量1350.97亿斤。", "一、“十四五”时期工作回顾"),  # still 2025
        ("地区生产总值增长5%左右。", "二、2026年主要工作 › （一）扩大内需"),  # the heading's year
        ("推进重大项目建设。", "三、全面加强政府自身建设"),  # nothing names a time
    ]
    times = document_times(passages, 2026)
    assert times == [[Time(2021, 2025)], [Time(2025, 2025)], [Time(2025, 2025)], [Time(2026, 2026)], []]
    assert relation([Time(2025, 2025)], times[2]) == 1
    assert relation([Time(2025, 2025)], times[0]) == -1  # five years are not last year
    assert relation([Time(2025, 2025, until=True)], times[0]) == 1  # but they end there
    assert relation([Time(2025, 2025)], times[4]) == 0 and relation([], times[0]) == 0
    # a chronicle is about each year its sentences open with; a time cited in passing frames nothing
    chronicle = document_times([("1985年7月任集团军副军长。1996年2月至4月任武警部队副司令员。", ""),
                                ("推进重大项目建设。加快建设“十四五”批复的6个大基地。", "三、重点工作")], 2026)
    assert chronicle == [[Time(1985, 1985), Time(1996, 1996)], []]
    # 过去的五年 is five years too, and a heading printed at the top of the passage is no lead: its section frames it
    headed = document_times([("一、“十四五”时期和2025年工作回顾\n过去的五年极不寻常。", "一、“十四五”时期和2025年工作回顾"),
                             ("乡村振兴扎实有效。粮食总产量连续9年稳定。", "一、“十四五”时期和2025年工作回顾")], 2026)
    assert headed == [[Time(2021, 2025)], [Time(2021, 2025)]]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "北川省政府工作报告.txt").write_text(REPORT, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    result = CliRunner().invoke(main, ["ingest", str(corpus)], env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    return data


def _first(question: str, data_dir: Path) -> str:
    result = CliRunner().invoke(main, ["search", question, "--json", "-k", "3"],
                                env={"ASSISTANT_DATA_DIR": str(data_dir)})
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output)[0]["text"])


def test_search_finds_the_passage_about_the_time_asked(data_dir: Path) -> None:
    assert "1350.97亿斤" in _first("去年全省粮食总产量是多少亿斤", data_dir)
    assert "1350.97亿斤" in _first("北川2025年粮食总产量多少", data_dir)
    assert "年均增长6.1%" in _first("过去五年规上工业增加值年均增长多少", data_dir)
    assert "主要预期目标" in _first("今年粮食总产量目标是多少", data_dir)
