"""The number checker on plain strings."""

from __future__ import annotations

from assistant.answer.numbers import find_numbers, unsupported_numbers


def test_dates_ordinals_and_doc_numbers_are_not_figures() -> None:
    text = "根据安招函〔2023〕31号，2023年一季度（1-3月）截至7月底，一是强化统筹，第205号提案[1]，“5+3”产业链。"
    assert find_numbers(text) == []
    # a record's code is an identifier; a figure beside it is still a figure
    assert [m.value for m in find_numbers("问题WT-2023-003逾期 28 天，ZS-23-15 已办结")] == [28]


def test_arabic_chinese_percent_and_units_are_found() -> None:
    values = {m.text: m.value for m in find_numbers("外资236.70万美元，完成67.63%，内资三十七亿元，百分之五十。")}
    assert values["236.70万"] == 2367000
    assert values["67.63%"] == 67.63
    assert values["三十七亿"] == 3.7e9
    assert values["百分之五十"] == 50


def test_traced_numbers_pass_and_untraced_are_flagged() -> None:
    answer = "汉阴县外资236.70万美元，完成进度67.63%，同比增长12.5%，全市开工率95.30%[1]。"
    flagged = unsupported_numbers(answer, figure_values=[236.7, 67.6286], passages=["项目开工率95.30%；资金到位率42.34%。"])
    assert flagged == ["12.5%"]


def test_unit_conversion_between_yi_and_wan() -> None:
    assert unsupported_numbers("总投资3.5亿元", figure_values=[35000.0], passages=[]) == []
    assert unsupported_numbers("总投资35000万元", figure_values=[3.5], passages=[]) == []


def test_one_numeral_table_reads_the_counts_staff_write() -> None:
    """Retrieval's time words (过去十五年), the database's periods (十一月) and the checker share one reading."""
    from assistant.db.periods import parse_period
    from assistant.index.timescope import plan_years
    from assistant.numerals import chinese_numeral, chinese_value, number_value

    assert [chinese_value(t) for t in ("十", "十一", "二十三", "一百零五", "两千", "〇", "十亿")] == [
        10, 11, 23, 105, 2000, 0, None]
    assert number_value("12") == 12 and number_value("万") is None
    assert all(chinese_value(chinese_numeral(n)) == n for n in range(1000))
    assert plan_years("十四") == (2021, 2025) and plan_years("二") is None
    assert str(parse_period("2023年1-十一月")) == str(parse_period("2023年1-11月"))


def test_a_passage_number_written_with_its_unit_is_not_read_in_another() -> None:
    # 236.7万美元 in the passage is 2367000: an answer's 236.7亿美元 does not trace to it, a converted 0.5亿 does to 5000万
    assert unsupported_numbers("到位236.7亿美元", figure_values=[], passages=["到位236.7万美元"]) == ["236.7亿"]
    assert unsupported_numbers("到位236.7万美元", figure_values=[], passages=["到位236.7万美元"]) == []
    assert unsupported_numbers("总投资0.5亿元", figure_values=[], passages=["总投资5000万元"]) == []
    # a table cell's bare 236.7 under a 万美元 header still traces 236.7万美元
    assert unsupported_numbers("到位236.7万美元", figure_values=[], passages=["汉阴县 32.79 236.7 350"]) == []


def test_an_iso_date_is_no_figure() -> None:
    # the day of projects_2023-07-21.csv in a source line was read as the figure -21
    assert find_numbers("导入文件：projects_2023-07-21.csv、problems_2023-06-30.csv，签约于2023.3.19") == []


def test_a_day_written_with_hao_is_a_date_not_a_figure() -> None:
    # 4月31号 as a user writes a day: the refusal quoting it back printed the figure 31
    assert find_numbers("“2023年4月31号”不是有效的日期，请核对后再问。") == []
    assert find_numbers("5月31号前报送") == []
    assert [m.text for m in find_numbers("第205号提案共有31条建议")] == ["31"]


def test_the_asker_s_words_quoted_back_are_not_figures_but_other_quotes_are() -> None:
    refusal = "“2023年4月的31个项目”不在名单中，请核对后再问。"
    assert unsupported_numbers(refusal, [], [], asked="2023年4月的31个项目签约了几个") == []
    assert unsupported_numbers(refusal, [], []) == ["31"]  # without the question, a bare number as before
    # a quoted figure the question did not write is still a claim that needs a source
    assert unsupported_numbers("报告称“外资增长31%”。", [], [], asked="汉阴县外资增长多少") == ["31%"]
