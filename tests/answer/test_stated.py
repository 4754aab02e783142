"""A quote answers a value question only when it states the value of the thing asked (the head), in the mood asked
(what happened, not a plan or a rule), and to the precision asked (哪一天 wants a day). Phrasings written for this
test, not taken from the evaluation set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.answer_types import answer_type
from assistant.answer.engine import Assistant
from assistant.answer.quoting import issued_year, stated_period
from assistant.answer.slots import SlotVocabulary, fill_slots
from assistant.answer.stated import abbreviates, asked_of
from assistant.answer.understand import ANAPHORA
from assistant.db.periods import Period
from assistant.index.kb import Hit


@pytest.mark.parametrize(("question", "head"), [
    ("市商务局分管招商的副主任是谁", ("副主任",)),
    ("去年全市发放的招商奖补资金多少万元", ("奖补资金",)),  # 奖 + 补 + 资金 as the tokenizer cuts it
    ("联络站一共收集了多少条线索", ("线索",)),
    ("产业园的容积率控制指标定的多少", ("控制", "指标")),
    ("驻京办每个礼拜最晚哪天交周报", ("驻京办",)),
    ("被评为优秀等次的县区有哪些", ("优秀",)),
    ("年度考核要扣多少分", ()),  # a measure word (分) with nothing after it: no head is required
    ("全年代办审批事项多少件", ("事项",)),  # nothing counted after 件: the nouns before it, not the verbs
    ("领导带队出去招商一共多少批", ()),
    ("汉中市在哪些地方设了办事处", ()),  # a place is no attribute
    ("宁陕县招商局局长叫什么名字", ("招商局", "局长")),
])
def test_the_head_is_the_thing_the_value_is_asked_of(question: str, head: tuple[str, ...]) -> None:
    assert asked_of(question).head == head


@pytest.mark.parametrize(("question", "section", "states", "only_related"), [
    # another role's person does not answer a who question
    ("市商务局分管招商的副主任是谁", "", "市商务局副主任李某分管招商工作。", "专访了市商务局主任王某。"),
    # another amount does not answer an amount question
    ("去年全市发放的招商奖补资金多少万元", "", "全年发放招商奖补资金860万元。", "全年合同总投资2130亿元。"),
    # what a draft plans does not answer what has been paid
    ("奖励到现在已经发出去多少钱了", "（六）激励", "今年已发放中介人奖励120万元。",
     "拟对引荐落地的中介人给予奖励，最高不超过50万元。"),
    # a rule's article does not answer who was graded
    ("今年被评为不合格的县区有哪些", "第二十四条 等次", "年度考核中，甲县被评为不合格。",
     "年度考核分为优秀、良好、合格、不合格四个等次。"),
    # what a rule permits (可按…给予奖励) does not answer who has been paid
    ("奖励已经发给哪些商会了", "", "今年已发给深圳安康商会奖励20万元。", "对引荐项目落地的商会，可按奖励政策给予奖励。"),
    # a plan section does not answer when something was issued
    ("奖励办法是哪天印发的", "三、下一步工作打算", "奖励办法于5月12日印发。", "年内完成奖励办法的印发。"),
    # a compound question (A和B有哪些措施): a sentence about either part answers that part, one about neither does not
    ("外资短板和项目管家有哪些措施", "", "补齐外资短板，紧盯外资线索企业。", "全市签约项目开工率达到八成。"),
    ("外资短板和项目管家有哪些措施", "", "对亿元以上重点项目逐一明确项目管家。", "全市签约项目开工率达到八成。"),
    # a count: the figure must be in the clause naming the thing counted, not beside other things
    ("全省一共有多少个产业联盟", "", "目前全省已组建产业联盟14个。", "所谓产业联盟，是指上下游企业的合作组织，今年召开对接会9场。"),
    # a which-question naming how many things: the answer lists that many
    ("提到的两个中心是哪两个", "", "建成数据中心、服务中心。", "两个中心建设稳步推进。"),
    # a list the document says is published elsewhere is not in it
    ("容缺受理的事项目录有哪些内容", "", "容缺受理事项目录包括备案、环评两项。", "容缺受理事项目录由市政务服务局另行公布。"),
    # a value the document masks is not given
    ("这次是哪位副秘书长带队督查的", "", "市政府副秘书长王某带队督查。", "市政府副秘书长**带队，对6个县区开展督查。"),
    # a place asked of one thing is not answered by the place of another in the same sentence
    ("今年工业投资增速在全省排第几", "", "工业投资增长12%，增速居全省第三位。",
     "社会消费品零售总额居全省第二位；工业投资增长12%，高于全省平均。"),
    # a name asked is not given by a sentence speaking of the thing without naming it
    ("那家承建平台的公司叫什么名字", "", "平台由陕西云网科技有限公司承建。", "平台由省内一家软件公司承建。"),
    # what a term is defined to mean (a target) is no count of what was done by a date
    ("招商行动到6月底累计走访了多少家企业", "", "截至6月底累计走访企业2310家。", "“万企”指累计走访对接万家以上企业。"),
    # the things the question sets aside do not answer it
    ("除了北京、上海，另外两个联络处设在哪里", "", "联络处设在北京、上海、深圳和杭州。", "已在北京和上海、以及其余城市设点。"),
])
def test_a_quote_states_what_is_asked_or_only_talks_about_it(
        question: str, section: str, states: str, only_related: str) -> None:
    asked = asked_of(question)
    assert asked.stated_by("", states)
    assert not asked.stated_by(section, only_related)


def test_a_value_asked_of_another_place_is_stated_only_where_that_place_is_named() -> None:
    asked = replace(asked_of("成都那场推介会来了多少家企业"), scope=(("成都", "成都市"),))
    assert asked.stated_by("", "成都专场推介会上，共有86家企业参会。")
    assert not asked.stated_by("", "举办了成都专场推介会。全年与126家企业当面洽谈。")
    assert asked.stated_by("", "共有86家企业参会。", title="成都市招商推介会情况通报")


@pytest.mark.parametrize(("question", "day", "not_day"), [
    ("推介会定在哪一天", "定于9月26日举办", "拟于春节后举办"),
    ("周报最晚哪天交", "每周五前报送", "按时报送"),
    ("大会是几月几号开的", "2023年3月9日召开", "2023年召开"),
])
def test_a_day_question_wants_a_day(question: str, day: str, not_day: str) -> None:
    wanted = answer_type(question)
    assert wanted is not None and wanted.held_by(day) and not wanted.held_by(not_day)


def _hit(section: str = "", title: str = "", date: str = "", file_name: str = "") -> Hit:
    return Hit(text="", score=1.0, doc_id="d", title=title, doc_number="", source="", section=section, start=0, end=0,
               extra={"date": date, "file_name": file_name})


@pytest.mark.parametrize(("hit", "year"), [
    (_hit(date="2023-08-04"), 2023),
    (_hit(file_name="2023-09_访谈_局长谈招商.txt"), 2023),  # a newspaper interview has no 公文 date line
    (_hit(file_name="访谈.txt"), None),
])
def test_the_year_a_document_was_issued(hit: Hit, year: int | None) -> None:
    assert issued_year(hit) == year


def test_a_part_of_a_year_without_its_year_is_of_the_documents_year() -> None:
    # 上半年全市兑现奖补资金1.36亿元 in a letter of August 2023 is a 2023 上半年 figure, not a full-year one
    assert stated_period(_hit(date="2023-08-04"), "上半年全市兑现各类招商奖补资金1.36亿元。") == Period(2023, 6)


@pytest.mark.parametrize(("question", "anaphoric"), [
    ("它的项目管家是谁？", True), ("该项目开工了吗", True), ("它们总投资多少", True),
    ("该怎么办", False), ("汉阴县外资多少", False), ("该办法什么时候施行", False),
])
def test_a_question_opening_with_a_pronoun_refers_back(question: str, anaphoric: bool) -> None:
    assert (ANAPHORA.search(question) is not None) == anaphoric


@pytest.mark.parametrize(("question", "unknown"), [
    ("秦岭锂电回收项目开工了吗", "秦岭锂电回收项目"),
    ("汉江书画院项目进展怎么样", "汉江书画院项目"),
    ("签约项目开工率多少", None),
    ("重点项目开工了吗", None),
])
def test_a_project_asked_whether_it_started_is_named(question: str, unknown: str | None) -> None:
    assert fill_slots(question, SlotVocabulary()).unknown_project == unknown


def test_a_pronoun_without_a_previous_turn_asks_for_the_whole_question(assistant: Assistant) -> None:
    answer = assistant.ask("它的总投资是多少？")
    assert "还没有上一个问题" in answer.answer and not answer.figures, answer.answer


def test_a_date_is_not_answered_by_a_definition(assistant: Assistant) -> None:
    answer = assistant.ask("项目管家制度是哪天开始实行的")
    assert "本办法所称" not in answer.answer, answer.answer


def test_a_rank_past_the_last_says_there_is_none(assistant: Assistant) -> None:
    answer = assistant.ask("2023年一季度内资完成进度排第15的是哪个县区")
    assert "没有排第15的县区" in answer.answer and "排第1的" not in answer.answer, answer.answer


@pytest.mark.parametrize(("short", "text", "short_form"), [
    ("考核办法", "关于印发《安康市招商引资高质量发展考核评价办法（试行）》的通知", True),
    ("信息共享办法", "关于建立招商项目信息共享机制的实施办法", True),
    ("驻外联络处", "各驻外招商联络处负责驻地企业走访", True),
    ("外资窗口", "依托市招商信息中心设立外资服务窗口", True),
    # the words apart across punctuation, a single character spread over a phrase, two characters: no short form
    ("考核办法", "组成考核工作组，具体办法另定", False),
    ("服务卡", "服务小组的卡片", False),
    ("管家", "管理国家", False),
])
def test_a_short_form_names_the_term_written_in_full(short: str, text: str, short_form: bool) -> None:
    assert abbreviates(short, text) is short_form


def test_a_head_word_in_short_form_is_stated_by_the_full_term() -> None:
    asked = asked_of("考核办法是哪天印发的")
    assert asked.head == ("考核办法",)
    assert asked.stated_by("", "2023年8月30日印发。", "安康市招商引资高质量发展考核评价办法（试行）")
    assert not asked.stated_by("", "2023年5月12日印发。", "重点招商项目项目管家帮办代办服务办法")


def test_a_deferral_answers_who_publishes_the_list() -> None:
    """具体事项清单由某局另行公布 does not give the list, but it says who gives it."""
    deferral = "容缺受理事项目录由市政务服务局另行公布。"
    assert not asked_of("容缺受理的事项目录有哪些内容").stated_by("", deferral)
    assert asked_of("容缺受理事项目录有哪些，由哪个部门来发").stated_by("", deferral)
