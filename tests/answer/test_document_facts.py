"""A fact about a document itself (文号, 印发日期, 发文机关, 签发人) asked of the document the question names: answered
from what ingest read off the document, with the passage that writes it cited — and only when one document is
clearly named."""

from __future__ import annotations

from assistant.answer.document_facts import asked_fact
from assistant.answer.engine import Assistant
from tests.answer.test_grounded import BUTLER


def test_the_number_date_and_issuers_of_a_named_document(assistant: Assistant) -> None:
    text = BUTLER.read_text(encoding="utf-8")
    number = assistant.ask("项目管家帮办代办那个服务办法的文号是多少")
    assert number.answer.startswith("《关于印发《安康市重点招商项目“项目管家”帮办代办服务办法》的通知》的文号是安审发〔2023〕17号"), number.answer
    assert number.citations and number.citations[0].source.endswith(BUTLER.name)
    assert "安审发〔2023〕17号" in number.citations[0].quote and number.flagged_numbers == []
    issuers = assistant.ask("项目管家服务办法是哪个单位印发的").answer
    assert "安康市行政审批服务局、安康市招商和经济合作局" in issuers, issuers
    day = assistant.ask("项目管家帮办代办服务办法是哪天印发的")
    assert "于2023年5月12日印发" in day.answer and "2023年5月12日" in text, day.answer


def test_no_document_is_named_by_words_every_heading_shares() -> None:
    headings = {"a": "关于印发《关于建立招商项目信息共享机制的实施办法》的通知 安康市招商和经济合作局 安招发〔2023〕5号",
                "b": "关于印发《安康市招商引资高质量发展考核评价办法（试行）》的通知 安康市招商和经济合作局 安招发〔2023〕21号",
                "c": "2023年全市招商引资工作总结 安康市招商和经济合作局"}
    assert asked_fact("那个通知的文号是多少", headings) is None  # both 通知 are the bureau's
    named = asked_fact("信息共享那个实施办法是哪天印发的", headings)
    assert named is not None and (named.doc_id, named.field) == ("a", "date")
    assert asked_fact("信息共享机制是怎么运转的", headings) is None  # no fact about the document asked
