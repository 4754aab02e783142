"""The gates between a retrieved passage and a quoted answer: which section is a letter's formalities, what kind of
value a question wants and which sentence holds it. Phrasings written for this test, not taken from the evaluation
set."""

from __future__ import annotations

import pytest

from assistant.answer.grounded import formality_section


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
