"""Which words of a document answer a policy question: the reply under a label matching the question (关于“…”的建议。),
an interviewer's question read with its answer in the passage below, the masthead a question names a document by
(日报那篇采访里…), a letter's contact line when it is asked for, and the kind of value asked (几个点 is points of a
percentage, 成绩怎么算 asks how something counts, not a formula). Documents and phrasings written for this test, not
taken from the evaluation set."""

from __future__ import annotations

import pytest

from assistant.answer.answer_types import answer_type
from assistant.answer.engine import Assistant
from assistant.index.kb import masthead
from tests.answer.conftest import assistant_over
from tests.conftest import CORPUS

INTERVIEW = """东湖日报　2024年5月6日　第2版
园区招商要“精”不要“滥”
——访市投资促进中心主任李明

本报记者　王芳

记者：今年园区招商有什么新变化？

李明：最大的变化是从“铺摊子”转向“挑项目”。我们把园区分成三个片区，每个片区明确主导产业，不符合定位的项目一律推荐到其他园区。\
今年以来共举办园区恳谈会18场，引进亩均税收超过20万元的项目9个，标准化厂房入驻率提高到八成以上。我们还请第三方机构对每个拟签约项目做\
投资强度和税收贡献测算，测算不达标的项目不签约。园区管委会每月召开一次项目调度会，对签约后三个月没有动工的项目逐一约谈，确保签一个、\
落一个、成一个。

记者：对想来园区投资的企业，您最想说什么？

李明：我想说，园区的优势在“快”和“省”。审批事项全部进驻园区服务大厅，企业拿地当月就能开工；标准化厂房租金前三年减半，水电气价格全市\
最低。企业来了，我们提供的不是一纸合同，而是一整套服务：有专班帮你跑手续，有台账盯着你的诉求，有管委会领导定期上门听意见。我们希望\
企业把园区当成自己的家，把发展的每一个难题都交给我们来解决，让每一个项目都能在这里生根发芽、开花结果，这是我们全体园区干部的共同心愿，\
也是我们对每一位投资者的郑重承诺。
"""

REPLY = """东湖市投资促进局对市人大第12号建议的答复函

周海代表：

您提出的《关于优化园区服务的建议》（第12号）收悉。现答复如下：

一、关于建议中具体事项的说明

关于“设立园区企业服务中心”的建议。经研究，拟在园区服务大厅设立企业服务专区，不再另设机构，避免增加企业办事层级。

关于“由企业评价园区部门”的建议。我们已建立企业满意度评价制度，每季度评价一次，结果纳入园区考核。

二、存在的不足

园区外资到位进度比序时进度低12.5个百分点，外资仍是短板。

东湖市投资促进局
2024年6月1日

（联系人：孙丽 电话：0000-1234567）

抄送：市人大常委会代表工作委员会。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(tmp_path_factory, {"2024-05_访谈_市投资促进中心主任李明谈园区招商.txt": INTERVIEW,
                                             "2024-06_答复函_市人大第12号建议.txt": REPLY})


@pytest.mark.parametrize(("question", "fact"), [
    # the interviewer's question is a passage of its own, the answer the one below it
    ("主任跟想来投资的企业说园区最大的优势是啥", "“快”和“省”"),
    # the newspaper is named only in the masthead
    ("日报那篇采访里主任说园区办了几场恳谈会", "恳谈会18场"),
    # the label 关于“由企业评价园区部门”的建议。 matches; the sentence after it is the reply
    ("周代表建议让企业给园区部门打分，局里怎么答复的", "企业满意度评价制度"),
    # a letter's contact line answers only a question asking for it
    ("周海代表那个建议的答复函，联系人是谁", "孙丽"),
    # 几个点 asks for percentage points, not a count of 个
    ("答复函里说园区外资比序时进度慢了几个点", "低12.5个百分点"),
])
def test_the_passage_that_answers_is_quoted(assistant: Assistant, question: str, fact: str) -> None:
    answer = assistant.ask(question)
    assert fact in answer.answer, answer.answer
    assert any(fact in c.quote for c in answer.citations), answer.citations


def test_a_contact_line_is_not_quoted_unasked(assistant: Assistant) -> None:
    assert "孙丽" not in assistant.ask("园区企业服务中心的建议局里怎么答复的").answer


@pytest.mark.parametrize(("question", "kind"), [
    ("外资比序时慢了几个点", "百分点"),
    ("完成进度差多少个百分点", "百分点"),
    ("开工率怎么算", "计算方法"),
    ("人均引进内外资怎么算", "计算方法"),
    ("资金到位率的计算公式", "计算方法"),
    # how a thing counts or is credited is said in prose (计入年度工作实绩), not by a formula
    ("联络处提供的线索落地了，联络处的成绩怎么算", None),
    ("这种情况怎么算", None),
])
def test_the_kind_of_value_asked(question: str, kind: str | None) -> None:
    found = answer_type(question)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize(("opening", "named", "not_named"), [
    ("【示例文档】本文为演示用样例。\n东湖日报　2024年5月6日\n园区招商要精\n——访主任李明\n本报记者　王芳\n记者：今年有什么变化？",
     ["东湖日报", "访主任李明", "本报记者"], ["示例文档", "今年有什么变化"]),
    # the addressee is the salutation, not a heading; the body ends the masthead
    ("东湖市投资促进局文件\n东投发〔2024〕3号\n各县区投资促进局：\n为做好园区招商工作，现通知如下。",
     ["投资促进局文件", "东投发〔2024〕3号"], ["各县区", "园区招商"]),
])
def test_a_documents_masthead(opening: str, named: list[str], not_named: list[str]) -> None:
    head = masthead(opening)
    assert all(n in head for n in named) and not any(n in head for n in not_named), head


def test_a_named_documents_cc_line_answers_what_it_was_copied_to(tmp_path_factory: pytest.TempPathFactory) -> None:
    # the 抄送 line of the document named (信息共享那个5号文), whatever else the question's words find in its body
    notice = CORPUS / "2023-03_政策_关于建立招商项目信息共享机制的实施办法.txt"
    cc = next(line for line in notice.read_text(encoding="utf-8").splitlines() if line.startswith("抄送："))
    assistant = assistant_over(tmp_path_factory, {notice.name: notice.read_text(encoding="utf-8")})
    answer = assistant.ask("信息共享那个5号文，除了主送县区，还抄送给了哪些部门")
    assert any(c.quote.strip() == cc for c in answer.citations), answer.answer
