"""Fusion, places and synonyms as pure functions: plain values in, rankings and names out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.errors import AssistantError
from assistant.index.fusion import Candidates, FusionWeights, Pool, fuse
from assistant.index.identifiers import identifiers, writes_any
from assistant.index.places import document_places, gazetteer, place_relation
from assistant.index.synonyms import load_synonyms, parse_groups


def _candidates(ids: list[str], bm25: list[float], cosine: list[float], **signals: list[float]) -> Candidates:
    b, c = np.array(bm25), np.array(cosine)
    zeros = np.zeros(len(ids))
    return Candidates(
        chunk_ids=ids, bm25=b, bm25_plain=b, cosine=c,
        coverage=np.array(signals.get("coverage", zeros)), period=np.array(signals.get("period", zeros)),
        place=np.array(signals.get("place", zeros)), place_passage=np.array(signals.get("place_passage", zeros)),
        identifier=np.array(signals.get("identifier", zeros)),
        bm25_pool=Pool.of(np.sort(b)[::-1]), bm25_plain_pool=Pool.of(np.sort(b)[::-1]),
        dense_pool=Pool.of(np.sort(c)[::-1]),
    )


def test_a_passage_bm25_is_sure_of_stays_first_though_dense_ranks_it_low() -> None:
    # BM25 puts "report" far ahead (a numbers paragraph); dense likes three others a little more than it.
    ids = ["report", "a", "b", "c", "d"]
    cands = _candidates(ids, bm25=[30.0, 6.0, 5.0, 4.0, 0.0], cosine=[0.80, 0.84, 0.845, 0.85, 0.78])
    assert fuse(cands, FusionWeights(bm25=0.5))[0][0] == "report"


def test_equal_scores_rank_in_chunk_id_order_whatever_the_input_order() -> None:
    a = _candidates(["d2", "d1", "d3"], bm25=[1.0, 1.0, 1.0], cosine=[0.5, 0.5, 0.5])
    b = _candidates(["d3", "d1", "d2"], bm25=[1.0, 1.0, 1.0], cosine=[0.5, 0.5, 0.5])
    assert [cid for cid, _ in fuse(a, FusionWeights())] == ["d1", "d2", "d3"]
    assert fuse(a, FusionWeights()) == fuse(b, FusionWeights())


def test_another_jurisdictions_passage_yields_to_the_one_named_in_the_question() -> None:
    # two near-equal passages on the same topic, among others the question matches less well
    others = [f"x{i}" for i in range(8)]
    cands = _candidates(["hunan", "hubei", *others], bm25=[10.0, 9.5, *np.linspace(5, 1, 8)],
                        cosine=[0.86, 0.85, *np.linspace(0.82, 0.76, 8)], place=[-1.0, 1.0, *[0.0] * 8])
    assert fuse(cands, FusionWeights(place=0.1, place_conflict=0.1))[0][0] == "hubei"
    assert fuse(cands, FusionWeights())[0][0] == "hunan"  # without the place signal it would not


def test_places_in_questions_longest_name_first_with_short_forms() -> None:
    places = gazetteer()
    assert places.find("湖北2026年GDP目标是多少") == ["湖北省"]
    assert places.find("内蒙十四五外贸进出口") == ["内蒙古自治区"]
    assert places.find("上海浦东新区保税维修") == ["上海市", "浦东新区"]
    assert places.find("汉阴县一季度外资") == ["汉阴县"]
    # a province's one-character short name; a longer name holding that character is the longer place
    assert places.find("赣这几年清理了多少政策") == ["江西省"] and places.find("豫企出海") == ["河南省"]
    assert places.find("赣州的外资") == ["赣州市"] and places.find("鄂尔多斯的煤") == ["鄂尔多斯市"]
    # ordinary words that contain a place's short form are not places; 台湾同胞 names investors, not a jurisdiction
    assert places.find("发展朝阳产业") == []
    assert places.find("台湾同胞投资权益") == []


def test_a_county_question_and_its_citys_document_are_the_same_jurisdiction() -> None:
    assert place_relation(["汉阴县"], ["安康市"]) == 1
    assert place_relation(["河南省"], ["郑州市"]) == 1
    assert place_relation(["山东省"], ["河南省"]) == -1
    assert place_relation(["汉中市"], ["安康市"]) == -1
    assert place_relation([], ["河南省"]) == 0 and place_relation(["河南省"], []) == 0


def test_document_places_from_title_office_or_opening() -> None:
    assert document_places("烟台市优化营商环境条例", "", "") == {"烟台市"}
    assert document_places("政府工作报告", "", "2026年1月在湖北省第十四届人民代表大会第五次会议上") == {"湖北省"}
    assert document_places("中华人民共和国外商投资法", "", "第一条 为了进一步扩大对外开放") == frozenset()
    # an opening naming several places of one jurisdiction (the counties a city's survey visited) is that one's
    survey = "调研组先后到汉滨区、旬阳市、平利县和恒口示范区，实地察看项目"
    assert document_places("关于全市招商引资项目落地情况的调研报告", "", survey) == {"安康市"}
    assert place_relation(["石泉县"], document_places("调研报告", "", survey)) == 1
    assert document_places("", "", "湖北省、湖南省两省联合") == {"湖北省", "湖南省"}


def test_synonyms_expand_the_other_ways_of_writing_a_term() -> None:
    synonyms = load_synonyms()
    expanded = dict(synonyms.expand("湖北去年利用外资多少"))
    assert "实际使用外资" in expanded["利用外资"]
    assert "地区生产总值" in dict(synonyms.expand("内蒙gdp增长目标"))["GDP"]
    # the longest written form wins: 招投标法实施条例 is not also read as 招投标法
    assert [w for w, _ in synonyms.expand("招投标法实施条例里投标保证金")] == ["招投标法实施条例"]
    assert synonyms.expand("项目落地情况") == []


def test_a_local_synonyms_file_adds_groups_and_a_malformed_one_names_the_group(tmp_path: Path) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text("- [三个年, 三个年活动]\n", encoding="utf-8")
    assert dict(load_synonyms(extra).expand("三个年怎么考核"))["三个年"] == ["三个年活动"]
    with pytest.raises(AssistantError, match="第 2 组"):
        parse_groups([["GDP", "地区生产总值"], ["只有一个"]], "local.yaml")


def test_identifiers_a_question_quotes_and_where_they_are_written() -> None:
    assert identifiers("调度编号7301所列问题销号了吗") == ["7301"]
    assert identifiers("关于国办发[2019]5号文件讲了什么") == ["国办发〔2019〕5号"]
    assert identifiers("答复205号提案时承诺了什么") == ["205号"]
    # years, dates, percentages and decimals are not identifiers
    assert identifiers("2023年外资任务完成了百分之多少，5.5%够吗，3月1日前") == []
    assert writes_any("本次专项调度（调度编号7301）覆盖汉阴县", ["7301"])
    assert not writes_any("本次专项调度（调度编号17301）覆盖汉阴县", ["7301"])
    assert writes_any("国办发（2019）5号", ["国办发〔2019〕5号"])


def test_the_passage_that_writes_the_quoted_identifier_ranks_first() -> None:
    # near-identical notices: dense cannot tell them apart and prefers another; only one writes 7301
    ids = ["n7300", "n7301", "n7302"]
    cands = _candidates(ids, bm25=[9.0, 9.4, 9.0], cosine=[0.93, 0.90, 0.92], identifier=[0.0, 1.0, 0.0])
    assert fuse(cands, FusionWeights())[0][0] == "n7300"
    assert fuse(cands, FusionWeights(identifier=1.0))[0][0] == "n7301"


def test_a_question_names_a_document_by_its_title_without_the_state_or_the_place() -> None:
    from assistant.index.identifiers import document_names, names_document

    law, local = document_names("中华人民共和国反不正当竞争法"), document_names("北京市反不正当竞争条例")
    assert names_document(["反不正当竞争法对商业贿赂罚多少钱"], law)
    assert not names_document(["反不正当竞争法对商业贿赂罚多少钱"], local)
    assert names_document(["北京外商投资条例对外企检查有什么优待"], document_names("北京市外商投资条例"))
    assert names_document(["涉外知识产权纠纷处理的规定什么时候生效"],
                          document_names("国务院关于涉外知识产权纠纷处理的规定"))
    assert not names_document(["今年政府工作怎么安排"], document_names("政府工作报告（2026年）"))


def test_this_year_and_last_year_are_read_from_the_document_s_year() -> None:
    from assistant.index.identifiers import asked_years, document_year, speaks_of_years

    year = document_year("政府工作报告", "2026年1月27日在贵州省第十四届人民代表大会第四次会议上", "")
    assert year == 2026 and document_year("公司法", "", "2023-12-29") == 2023
    assert asked_years("江西今年GDP预期增长多少", year) == {2026}
    assert asked_years("河南去年粮食总产量多少", year) == {2025}
    assert asked_years("山西2025年原煤产量", 0) == {2025} and asked_years("湖北GDP", year) == set()
    assert speaks_of_years("三、2026年重点工作 今年经济社会发展主要预期目标是", {2026}, year)
    assert speaks_of_years("刚刚过去的一年，全省粮食产量1350.97亿斤", {2025}, year)
    assert not speaks_of_years("“十四五”时期，粮食总产量连续9年稳定", {2025}, year)


def test_a_question_asking_for_a_date_or_a_time_limit_and_the_passages_that_state_one() -> None:
    from assistant.index.answertype import asked_kinds, states

    assert asked_kinds("这个办法从什么时候开始执行") == ("date",)
    assert asked_kinds("补正材料要在多长时间内交") == ("span",)
    assert asked_kinds("异议最晚什么时候提出") == ("date", "span")
    assert asked_kinds("去年实际使用外资多少亿元") == ()  # an amount: left alone
    assert states(("date",), "本办法自2024年3月1日起施行。") and states(("date",), "二〇二四年三月一日起施行")
    assert not states(("date",), "2024年全市引进项目120个")  # a year is not a date
    assert states(("span",), "应当在5个工作日内提交") and states(("span",), "3个月内办结")
    assert states(("span",), "自受理之日起三十日内作出决定") and states(("span",), "在投标截止时间10日前提出")
    assert not states(("span",), "全年新增项目30个，投资增长5%") and not states((), "5个工作日内")
    # what a term means, and the passage that defines it
    for question in ("电子印章指什么", "平台内经营者指的是谁", "企业国有资产指的是啥", "怎么界定不正当竞争", "什么是负面清单"):
        assert "definition" in asked_kinds(question), question
    assert asked_kinds("外资银行注册资本最低要多少") == ()
    assert states(("definition",), "本规定所称电子印章，是指基于可信密码技术生成身份标识的印章")
    assert states(("definition",), "本条例所称企业国有资产，系国家对企业各种形式的投资")
    assert not states(("definition",), "电子印章与实物印章具有同等法律效力")
    # a place in an order, and the passage stating one (not an article's number)
    assert asked_kinds("山西算力在全国排第几") == ("position",) and asked_kinds("增速第几名") == ("position",)
    assert states(("position",), "综合算力指数全国排名第八") and states(("position",), "增速居全国第3位")
    assert not states(("position",), "第七条 本条例所称开发区")


def test_the_passage_that_states_the_time_limit_asked_for_ranks_first() -> None:
    # two passages of the same article read alike; only the second states the limit the question asks for
    ids = ["general", "limit", *[f"x{i}" for i in range(6)]]
    cands = _candidates(ids, bm25=[10.0, 9.6, *np.linspace(5, 1, 6)], cosine=[0.90, 0.89, *np.linspace(0.85, 0.8, 6)])
    cands.answer_type = np.array([0.0, 1.0, *[0.0] * 6])
    assert fuse(cands, FusionWeights(answer_type=0.2))[0][0] == "limit"
    assert fuse(cands, FusionWeights())[0][0] == "general"  # without the signal it would not
    cands.answer_type = np.zeros(0)  # no date or time limit asked: the signal is absent, nothing moves
    assert fuse(cands, FusionWeights(answer_type=0.2))[0][0] == "general"


def test_an_amount_asked_reads_the_clause_that_states_a_figure() -> None:
    from assistant.index.answertype import amount_asked, figure_coverage

    assert amount_asked("全省茶叶产量多少") and amount_asked("新设了几家企业") and amount_asked("出口占比多大")
    assert not amount_asked("这个办法从什么时候开始执行")
    words = {"茶叶", "产量"}
    # the sentence on tea that gives no figure of it, and the clause that does
    assert figure_coverage(words, "茶叶产业提质增效，品牌影响力提升，全年接待游客3000万人次。") == 0.0
    assert figure_coverage(words, "全省茶叶总产量12.5万吨、增长6%。") == 1.0
    # a term written another way counts, as for coverage
    assert figure_coverage({"gdp"}, "地区生产总值1.2万亿元。", {"gdp": ["地区生产总值"]}) == 1.0
    ids = ["topic", "figure", *[f"x{i}" for i in range(6)]]
    cands = _candidates(ids, bm25=[10.0, 9.6, *np.linspace(5, 1, 6)], cosine=[0.90, 0.89, *np.linspace(0.85, 0.8, 6)])
    cands.figure = np.array([0.0, 1.0, *[0.0] * 6])
    assert fuse(cands, FusionWeights(figure=0.2))[0][0] == "figure"
    assert fuse(cands, FusionWeights())[0][0] == "topic"


def test_neighbouring_question_words_written_together_lift_the_passage_that_writes_them() -> None:
    from assistant.index.kb import word_pairs

    # 有意见 is written 有异议 (synonyms.yaml): the pair 招标文件 + 意见 is found where the rule writes them together
    pairs = word_pairs(["招标文件", "意见", "最晚"], {"意见": ["有异议"]})
    rule = "对招标文件有异议的，应当在投标截止时间10日前提出。"
    other = "招标人对已发出的招标文件进行必要的澄清；收到异议之日起3日内答复。"
    found = [sum(1 for p in pairs if p.search(text)) for text in (rule, other)]
    assert found == [1, 0]
    # either order counts, a clause boundary does not
    assert word_pairs(["注册资本", "最低"], {})[0].search("最低注册资本为10亿元")
    assert not word_pairs(["注册资本", "最低"], {})[0].search("注册资本。最低")
    # in the fusion: two passages the retrievers score alike, the one writing the pairs together comes first
    weak = [f"x{i}" for i in range(6)]
    cands = _candidates(["other", "rule", *weak], bm25=[10.0, 9.8, *np.linspace(5, 1, 6)],
                        cosine=[0.85, 0.849, *np.linspace(0.80, 0.75, 6)])
    cands.proximity = np.array([0.0, 1.0, *[0.0] * 6])
    assert fuse(cands, FusionWeights(proximity=0.2))[0][0] == "rule"
    assert fuse(cands, FusionWeights())[0][0] == "other"
