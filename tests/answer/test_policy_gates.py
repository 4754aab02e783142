"""The gates between a retrieved passage and a quoted answer: which section is a letter's formalities, what kind of
value a question wants and which sentence holds it. Phrasings written for this test, not taken from the evaluation
set."""

from __future__ import annotations

import pytest

from assistant.answer.answer_types import answer_type
from assistant.answer.coverage import size_classes
from assistant.answer.grounded import WHO, WHY_CLAUSE
from assistant.answer.quoting import (
    ASKS_PROPOSER,
    ASKS_PURPOSE,
    PURPOSE_CLAUSE,
    asked_part,
    best_sentences,
    formality_section,
    salutation,
    section_fit,
    speaks_of,
)
from assistant.answer.understand import SHORT_YEAR, WHY
from assistant.index.places import gazetteer


@pytest.mark.parametrize(("section", "formality"), [
    ("附注（联系人、抄送、印发）", True),
    ("版记", True),
    ("（联系人：张三 电话：0915-1234567）", True),
    ("第七章 附则 › 第二十二条 本办法由市招商局负责解释，自印发之日起施行", False),
    ("一、办理情况 › （二）联系人制度逐步健全", False),
    ("三、下一步工作措施 › 二是做好抄送件的督办", False),
])
def test_a_formalities_section_is_named_by_its_heading_start(section: str, formality: bool) -> None:
    assert formality_section(section) is formality


@pytest.mark.parametrize(("question", "holding", "not_holding"), [
    ("信息员每个礼拜最晚哪天交材料", "每周三前报送上周材料", "信息员按要求报送材料"),
    ("周报一般啥时候报", "每星期一上午报送", "周报应及时报送"),
])
def test_a_day_of_the_week_answers_when(question: str, holding: str, not_holding: str) -> None:
    wanted = answer_type(question)
    assert wanted is not None and wanted.name == "日期"
    assert wanted.held_by(holding) and not wanted.held_by(not_holding)


@pytest.mark.parametrize(("written", "read"), [
    ("24年外资目标定的多少", "2024年外资目标定的多少"),
    ("23年底入库多少个项目", "2023年底入库多少个项目"),
    ("2024年内资目标", "2024年内资目标"),
    ("近10年引资增长多少", "近10年引资增长多少"),
    ("办法试行期两年", "办法试行期两年"),
    ("第24年的考核", "第24年的考核"),
])
def test_a_two_digit_year_is_this_centurys(written: str, read: str) -> None:
    assert SHORT_YEAR.sub(r"20\1年", written) == read


@pytest.mark.parametrize(("question", "who"), [
    ("招商专员的名单归哪个部门管", True),
    ("联络员由哪些单位派", True),
    ("A级线索由哪一级领导包抓", True),
    ("项目管家都有谁", True),
    ("项目管家是什么", False),
    ("五库指的是哪五个库", False),
])
def test_a_question_asking_who_is_responsible_is_no_definition(question: str, who: bool) -> None:
    assert (WHO.search(question) is not None) is who


@pytest.mark.parametrize("question", ["为啥外资一直上不去", "线索没人跟咋办", "为何要设首谈单位"])
def test_colloquial_why_asks_for_reasons(question: str) -> None:
    assert WHY.search(question) is not None and WHY_CLAUSE.search(question) is not None


@pytest.mark.parametrize(("question", "kind", "holding", "not_holding"), [
    ("推介会来了多少人", "数量", "邀请客商180余人参会", "邀请客商参会"),
    ("对接了多少家企业", "数量", "对接企业40多家", "对接了一批企业"),
    ("复核委员会一共几个", "数量", "共5个成员单位", "在5个工作日内复核"),
    ("这项指标在考核里占几分", "分值", "履约率5分", "履约率＝履约项目数÷应履约项目数×100%"),
    ("违规的扣多少分", "分值", "每起扣2分", "推荐2至3个承接地"),
    ("给项目供了多少亩地", "数量", "供应工业用地1500亩", "供地率达到85%"),
    ("厂房建了多少平方米", "数量", "新建厂房12.5万平方米", "新建厂房5栋"),
])
def test_a_count_or_score_is_held_in_its_own_unit(question: str, kind: str, holding: str, not_holding: str) -> None:
    wanted = answer_type(question)
    assert wanted is not None and wanted.name == kind
    assert wanted.held_by(holding) and not wanted.held_by(not_holding)


@pytest.mark.parametrize(("passage", "words", "quoted"), [
    # a short list item with a figure says its content: it is quoted, not skipped as a heading
    ("一是外资缺口较大，外资项目数量少。三是龙头项目偏少，百亿级项目仅落地1个。", ["百亿"], "百亿级项目仅落地1个"),
    # a bare heading is skipped for the content after it
    ("（五）营商环境尚需优化。部分政策兑现周期较长。", ["营商环境", "兑现"], "部分政策兑现周期较长"),
    # a reply letter's label of the proposal is skipped for the reply after it
    ("关于“推行告知承诺制”的建议。这项建议与改革方向一致。对可以事后监管的事项，将逐步推行告知承诺制。",
     ["告知承诺制", "答复"], "将逐步推行告知承诺制"),
    ("关于您建议“对承接转移项目给予专项奖补”。已有政策可以申报。重大项目可按“一事一议”方式制定政策包。",
     ["承接", "转移", "项目", "专项", "奖补"], "一事一议"),
    # of two sentences naming the thing, the one about it (its subject) is quoted
    ("“五库”指项目库、人才库和政策资源库；项目库储备推介项目；人才库收录在外安康籍人士、退休干部等人员；",
     ["人才库"], "人才库收录在外安康籍人士"),
])
def test_a_list_item_with_content_is_no_heading(passage: str, words: list[str], quoted: str) -> None:
    assert quoted in best_sentences(passage, words)


@pytest.mark.parametrize(("text", "classes"), [
    ("百亿级的大项目落了几个", {100: "百亿级"}),
    ("5亿元以上项目数 8个，10亿元以上项目数 2个", {5: "5亿元以上", 10: "10亿元以上"}),
    ("总投资5000万元以上的项目", {0.5: "5000万元以上"}),
    ("十亿以上项目有几个", {10: "十亿以上"}),
    ("项目总投资多少亿", {}),
])
def test_size_classes_are_read_by_their_threshold(text: str, classes: dict[float, str]) -> None:
    assert size_classes(text) == classes


@pytest.mark.parametrize(("question", "part"), [
    ("外资短板下一步怎么补", "measures"),
    ("招商队伍弱的问题打算怎么解决", "measures"),
    ("外资为什么一直上不去", "reasons"),
    ("瀛湖招商基础为啥弱", "reasons"),
    ("连续两次评价不满意怎么办", ""),  # what the rule says happens, not the next steps
    ("为什么滞后，下一步有什么措施", ""),
])
def test_a_why_or_how_question_asks_for_one_part_of_a_report(question: str, part: str) -> None:
    assert asked_part(question) == part


@pytest.mark.parametrize(("part", "section", "fit"), [
    ("measures", "三、下一步工作措施 › 二是加快在谈项目落地进资", 0),
    ("measures", "三、意见和建议 › （四）多渠道拓展外资", 0),
    ("measures", "二、存在的主要问题 › （三）利用外资短板突出", 2),
    ("measures", "二、关于建议中具体事项的说明", 1),
    ("reasons", "二、存在的问题", 0),
    ("reasons", "三、下一步工作打算 › （三）着力补齐外资短板", 2),
    ("", "二、存在的问题", 1),
])
def test_passages_of_the_part_asked_for_come_first(part: str, section: str, fit: int) -> None:
    assert section_fit(part, section) == fit


@pytest.mark.parametrize(("text", "asked", "speaks"), [
    ("5月，我市组团参加在西安举办的第七届丝博会，现场签约项目31个。", ["西安市"], True),
    ("在成都、苏州、厦门等城市再设立3个联络站。", ["成都市"], True),
    ("全市新签约项目开工率92.87%。", ["西安市"], False),
])
def test_a_passage_speaks_of_a_place_it_names(text: str, asked: list[str], speaks: bool) -> None:
    places = gazetteer()
    assert speaks_of(text, [places.find(a)[0] for a in asked], places) is speaks


@pytest.mark.parametrize(("question", "purpose"), [
    ("当初为啥要出这个考核办法", True),
    ("出台信息共享那个办法是为了啥", True),
    ("项目管家制度的目的是什么", True),
    ("为啥要搞项目管家帮办代办", True),
    # why something happened, or why it was not done, is no purpose of a rule
    ("外资为什么一直滞后", False),
    ("为什么不单独成立外资服务中心", False),
    ("为什么微信群里只能发线索概要", False),
])
def test_a_question_asking_what_a_rule_was_made_for(question: str, purpose: bool) -> None:
    assert (ASKS_PURPOSE.search(question) is not None) is purpose


@pytest.mark.parametrize(("sentence", "states"), [
    ("第一条 为规范全市招商项目信息的收集、报送、分流和使用，结合本市实际，制定本办法。", True),
    ("本办法旨在为重点招商项目提供全流程帮办代办服务。", True),
    ("为解决招商项目“重招引、轻后扶”的问题，经市政府同意，现将《服务办法》印发给你们。", True),
    ("第十条 各单位获得总投资1亿元以上的产业项目线索后，应在48小时内报送。", False),
])
def test_a_purpose_clause_says_what_a_rule_is_for(sentence: str, states: bool) -> None:
    assert (PURPOSE_CLAUSE.search(sentence) is not None) is states


@pytest.mark.parametrize(("question", "proposer"), [
    ("167号提案是谁提的", True),
    ("78号建议是哪个代表提的", True),
    ("这条建议的建议人是谁", True),
    ("县级解决不了的问题由谁负责", False),
    ("提案里提了哪些建议", False),
])
def test_a_question_asking_who_made_a_proposal(question: str, proposer: bool) -> None:
    assert (ASKS_PROPOSER.search(question) is not None) is proposer


@pytest.mark.parametrize(("passage", "greeting"), [
    ("民建安康市委员会：\n贵委员会提出的《关于发挥异地商会作用的提案》（第167号）收悉。现答复如下：", "民建安康市委员会："),
    ("张宏伟代表：\n\n您在会议期间提出的《关于加大利用外资工作力度的建议》（第78号）收悉。", "张宏伟代表："),
    # a heading ending in a colon is no salutation: no proposal is acknowledged after it
    ("现答复如下：\n一、工作开展情况", ""),
    # the salutation cut into a passage of its own
    ("王建华委员：", "王建华委员："),
])
def test_a_reply_letters_salutation_names_the_proposer(passage: str, greeting: str) -> None:
    assert salutation(passage) == greeting


def test_an_address_line_is_no_answer_to_what_the_letter_promises() -> None:
    passage = "王建华委员：\n下一步，我局将定期向您通报工作进展，欢迎继续提出意见。"
    assert best_sentences(passage, ["王建华", "委员", "承诺"]).startswith("下一步")
