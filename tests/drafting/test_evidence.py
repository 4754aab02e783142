"""Evidence that fits and time that is right: what a draft may quote (the bureau's own deeds, from documents
dated by the letter, matched by meaning), which figures and problems it states (as of its date), and what it
does with bad input (【待补充】 and warnings, never an invented measure)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.db.session import FigureStore
from assistant.drafting import (
    Draft,
    ReplyRequest,
    ReportRequest,
    check_consistency,
    draft_reply,
    draft_report,
)
from assistant.index.kb import KnowledgeBase

SHANGHUI = "发挥异地商会作用，邀请在外商会协助开展以商招商"
PLATFORM = "建设智慧招商云平台，实现市县招商信息实时共享"
AFTERCARE = "加强项目落地后续服务，解决重招引轻后扶问题"


def reply_on(day: date, suggestions: list[str], kb: KnowledgeBase, store: FigureStore, **fields: str) -> Draft:
    values = {"number": "市政协五届二次会议第301号", "title": "关于提升招商实效的提案", "proposer": "李明委员（民盟安康市委员会）",
              **fields}
    request = ReplyRequest(suggestions=suggestions, date=day, **values)
    return draft_reply(request, kb, store)


def sentences(draft: Draft) -> list[str]:
    body = [p.text for p in draft.paragraphs if p.kind == "body" and not p.placeholder]
    return [s for text in body for s in re.findall(r"[^。；]+[。；]", text)]


@pytest.fixture(scope="module")
def october(kb: KnowledgeBase, store: FigureStore) -> Draft:
    return reply_on(date(2023, 10, 9), [SHANGHUI, PLATFORM, AFTERCARE], kb, store)


def test_only_the_bureaus_own_deeds_are_quoted_as_measures(october: Draft) -> None:
    text = october.text()
    assert "针对性、操作性都很强" not in text  # a compliment to another proposer
    assert "迟迟不能开工" not in text and "尚未建成" not in text  # the NPC survey's criticism
    assert "汉商恳谈会" not in text  # another city's bureau
    shanghui = next(p for p in october.paragraphs if p.lead.startswith("（一）"))
    assert "我局会同市工商联建立了异地商会联系名册" in shanghui.text
    assert {c.doc_number or c.title for c in shanghui.citations} == {"安康市招商和经济合作局对市政协五届二次会议第167号提案的答复函"}
    platform = next(p for p in october.paragraphs if p.lead.startswith("（二）"))  # found under 遇到的问题
    assert "我局委托专业机构编制了《安康市智慧招商云平台项目建设方案》" in platform.text


def test_the_greeting_names_the_proposer_once(october: Draft) -> None:
    assert october.paragraphs[0].text == "李明委员："


def test_no_sentence_appears_twice(october: Draft) -> None:
    found = sentences(october)
    assert len(found) == len(set(found)), [s for s in found if found.count(s) > 1]


def test_a_document_written_after_the_letter_is_never_quoted(kb: KnowledgeBase, store: FigureStore) -> None:
    august = reply_on(date(2023, 8, 1), [SHANGHUI], kb, store)
    assert "异地商会联系名册" not in august.text()  # the 167 letter is dated 12 September
    assert all(c.doc_number != "" or "167" not in c.title for p in august.paragraphs for c in p.citations)


def test_time_words_of_an_older_letter_are_made_absolute(kb: KnowledgeBase, store: FigureStore) -> None:
    later = reply_on(date(2024, 3, 1), [AFTERCARE], kb, store)
    service = next(p for p in later.paragraphs if p.lead.startswith("（一）"))
    assert "我局2023年与市行政审批局联合推出重点项目“项目管家”帮办代办服务" in service.text
    assert "今年" not in service.text
    assert service.citations[0].quote.count("今年") == 1  # the citation keeps the source's own words


def test_figures_and_problems_are_taken_as_of_the_letter_date(kb: KnowledgeBase, store: FigureStore,
                                                               october: Draft) -> None:
    assert october.as_of == date(2023, 10, 9) and october.period == "2023-08"  # September not over-reported yet
    assert "截至2023年8月底，全市实际引进内资" in october.paragraphs[3].text
    spring = reply_on(date(2023, 4, 20), [AFTERCARE], kb, store)
    assert spring.period == "2023Q1" and "截至2023年3月底" in spring.paragraphs[3].text
    assert not [c for c in check_consistency(spring.text(), store, spring.period) if c.status == "mismatch"]


def test_data_lagging_the_letter_is_warned_about(kb: KnowledgeBase, store: FigureStore) -> None:
    summer = reply_on(date(2024, 6, 30), [AFTERCARE], kb, store)
    assert summer.period == "2023"
    assert any("比成文日期2024年6月30日早182天" in w for w in summer.warnings)


def test_a_letter_dated_before_the_data_has_no_figures_and_says_so(kb: KnowledgeBase, store: FigureStore) -> None:
    early = reply_on(date(2021, 5, 1), [AFTERCARE], kb, store)
    assert early.period is None and not any(p.figures for p in early.paragraphs)
    assert early.paragraphs[3].placeholder and "【待补充" in early.paragraphs[3].text
    assert any("成文日期2021年5月1日时数据库中还没有已结束期间的数据" in w for w in early.warnings)
    assert "项目管家" not in early.text()  # the 2023 documents were not written yet


def test_bad_input_gives_a_clear_draft_with_placeholders_and_warnings(kb: KnowledgeBase, store: FigureStore) -> None:
    english = [f"Attract more foreign investment, item {n}" for n in range(1, 28)]
    many = reply_on(date(2023, 10, 9), [SHANGHUI, *english[:10], AFTERCARE, *english[10:], PLATFORM], kb, store,
                    doc_number="安招函[2023]52号")
    assert many.header.doc_number == "安招函〔2023〕52号"  # the usual slips in brackets are put right
    leads = [p.lead for p in many.paragraphs if re.match(r"（[一二三四五六七八九十]+）关于", p.lead)]
    assert len(leads) == 20  # twenty answered one by one …
    rest = next(p for p in many.paragraphs if p.text.startswith("提案中的其余建议："))
    assert rest.placeholder and "21. Attract more foreign inv" in rest.text and "30. 建设智慧招商云平台" in rest.text
    english_paragraphs = [p for p in many.paragraphs if p.lead.startswith(("（二）关于Attract", "二是Attract"))]
    assert all(p.placeholder and not p.citations and "不是中文" in p.text for p in english_paragraphs)
    assert len(english_paragraphs) == 2  # what was done and what is next: neither is promised for it
    assert any("第2条建议不是中文" in w for w in many.warnings)
    assert any("提案共有 30 条建议" in w for w in many.warnings)
    odd = reply_on(date(2023, 10, 9), [], kb, store, doc_number="52号文", number="第三百零一号")
    assert any("发文字号“52号文”不是" in w for w in odd.warnings)
    assert any("提案（建议）号“三百零一”不是数字" in w for w in odd.warnings)
    assert odd.title.endswith("第三百零一号提案的答复函") and "第第" not in odd.text()  # written once, as given
    assert any("没有提供提案的主要建议" in w for w in odd.warnings)
    assert not any(p.citations for p in odd.paragraphs)  # no suggestion, no measure
    assert "【待补充：按提案所提建议逐条写明下一步工作措施" in odd.text() and "关于提升招商实效的提案”的建议" not in odd.text()


def test_a_suggestion_nothing_on_record_matches_gets_a_placeholder(october: Draft, kb: KnowledgeBase,
                                                                    store: FigureStore) -> None:
    fund = reply_on(date(2023, 10, 9), ["设立市级产业引导基金，吸引社会资本参与重点产业链招商"], kb, store)
    paragraph = next(p for p in fund.paragraphs if p.lead.startswith("（一）"))
    assert paragraph.placeholder and not paragraph.citations  # no 外资 or 商会 measure passed off as a fund


def test_the_quarterly_report_uses_that_quarters_work_and_no_later_document(kb: KnowledgeBase,
                                                                             store: FigureStore) -> None:
    report = draft_report(ReportRequest(period="2023Q1", date=date(2023, 4, 30)), kb, store)
    lines = [p.full_text for p in report.paragraphs]
    progress = " ".join(lines[lines.index("一、工作进展情况"):lines.index("二、存在的主要问题")])
    assert "3月9日在成都举办富硒食品产业链精准招商推介会" in progress  # the quarter's activities by name
    assert "5月11日" not in progress
    problems = " ".join(lines[lines.index("二、存在的主要问题"):lines.index("三、下一步工作措施")])
    assert "截至2023年3月底，项目问题台账中尚有6个问题未解决" in problems  # not the 3 raised after March
    steps = [p for p in report.paragraphs[lines.index("三、下一步工作措施") + 1:] if p.kind == "body"]
    assert len(steps) >= 2 and all(c.title == "关于2023年一季度全市招商引资工作情况的报告" for p in steps for c in p.citations)
    assert report.as_of == date(2023, 3, 31)
    assert not [c for c in check_consistency(report.text(), store, report.period) if c.status == "mismatch"]
    default = draft_report(ReportRequest(period="2023Q1", table=False), kb, store)
    assert default.paragraphs[-1].text == "2023年3月31日"  # dated at the period's end, not today


def test_a_passage_naming_two_measures_answers_both_suggestions_each_with_its_own_sentence(
        kb: KnowledgeBase, store: FigureStore) -> None:
    # 第205号答复函 (五): the 项目管家 service and the problem ledger are two measures in one passage.
    letter = reply_on(date(2023, 10, 9), ["为重点招商项目配备项目管家，提供帮办代办服务",
                                          "企业反映的落地问题统一录入问题台账，限时办结销号"], kb, store)
    first, second = (next(p for p in letter.paragraphs if p.lead.startswith(n)) for n in ("（一）", "（二）"))
    assert not first.placeholder and "项目管家" in first.text and "问题台账" not in first.text
    assert not second.placeholder and "问题台账" in second.text and "项目管家" not in second.text
    assert first.citations[0].chunk_id == second.citations[0].chunk_id  # the same passage, a sentence each
    assert len(sentences(letter)) == len(set(sentences(letter)))


def test_a_plan_stated_in_a_long_next_step_is_matched_by_its_own_sentence(kb: KnowledgeBase,
                                                                          store: FigureStore) -> None:
    # 第205号答复函 四是强化统筹考核: the quarterly 督办核查 is one sentence of a passage about 考核 in general.
    letter = reply_on(date(2023, 10, 9), ["每季度对指标进度和重点项目开展督办核查"], kb, store)
    plan = next(p for p in letter.paragraphs if p.lead.startswith("一是"))
    assert not plan.placeholder and "每季度对指标进度和重点项目开展一次督办核查" in plan.text
