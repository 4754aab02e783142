"""The sentence classifier on sentences of the demo corpus (corpus/): who acts and what kind of sentence it
is decides whether a draft may quote it as a measure. Pure functions: no index, no database."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.drafting.check import is_statistic
from assistant.drafting.sentences import absolute_time, document_author, document_date, read_sentence

OFFICE = "安康市招商和经济合作局"

# (sentence, author of its document, section, expected actor, expected kind) — sentences from corpus/.
CASES = [
    # deeds of the bureau, also after an introductory phrase that names the proposal
    ("对此，我局在市级层面加大统筹力度，先后出台《关于建立招商项目信息共享机制的实施办法》和《招商引资重点项目线索两单一台账跟踪机制》。",
     "answering", "一、提案办理情况", "answering", "action"),
    ("针对提案中“重招引、轻后扶”的意见，我局今年与市行政审批局联合推出重点项目“项目管家”帮办代办服务。",
     "answering", "一、提案办理情况", "answering", "action"),
    ("按照提案建议，我局委托专业机构编制了《安康市智慧招商云平台项目建设方案》，计划把“一图五库”搬到网上，建设“招商引资超市”。",
     "answering", "二、办理中遇到的问题", "answering", "action"),
    ("我们正在收集在外安康籍优秀创业就业人士以及落地客商、专家学者、退休干部、外语人才等专业人士信息，筹建市级招商引资人才库。",
     "answering", "一、提案办理情况", "answering", "action"),
    # plans: 将 / 力争, and imperatives under 下一步
    ("我局将加强沟通衔接，争取尽快启动建设。", "answering", "二、办理中遇到的问题", "answering", "plan"),
    ("紧盯香港铜罗湾集团、万象投资有限公司、威兰丹特集团等外资线索企业，加快在谈外资项目签约进资，扭转外资进度落后的局面。",
     "answering", "三、下一步工作措施", "answering", "plan"),
    # compliments to the proposer
    ("您在建议中分析了我市利用外资总量小、来源单一、项目落地慢等问题，提出了加强外资线索收集、发挥港澳台侨资源作用、完善外资服务等建议，对我们改进工作很有帮助。",
     "answering", "", "proposer", "compliment"),
    ("您在建议中提出的“引进外资要与本地优势产业结合”“发挥港澳台侨资源作用”等意见很有针对性，我局将认真吸收，重点做好以下工作：",
     "answering", "三、下一步工作措施", "proposer", "compliment"),
    ("提案对全市招商引资工作的分析深刻，所提建议针对性、操作性都很强。", "answering", "", "proposer", "compliment"),
    # the proposer's own words are not the bureau's deeds
    ("您在提案中指出，县区之间存在重竞争、轻合作，同质化招商相互内耗，信息不互通等问题。",
     "answering", "一、提案办理情况", "proposer", "criticism"),
    # another body's survey: criticism, even where it describes the city's work
    ("调研中了解到，全市招商干部中具有经济、金融、法律等专业背景的比例偏低，能独立开展项目测算和商务谈判的干部偏少。",
     "other", "一、基本情况", "other", "criticism"),
    ("“一图五库”仍主要依靠表格和微信群传递，智慧招商云平台尚未建成，市县之间项目数据不能实时共享。",
     "other", "二、存在的主要问题", "other", "criticism"),
    ("市级成立由市政府主要领导任组长的招商引资工作领导小组，对“5+3”重点产业链实行链长制。",
     "other", "一、基本情况", "other", "statement"),
    # a difficulty the bureau states itself
    ("由于全市数字政府建设实行统一规划，新建信息化项目须经市发展研究中心审核备案后统一实施，该方案目前仍在报备审核中。",
     "answering", "二、办理中遇到的问题", "answering", "criticism"),
    # what something is, even under 下一步, is neither a plan nor a deed
    ("异地商会是安康联系外部资源的重要桥梁，在外乡贤是家乡发展的宝贵财富。",
     "answering", "三、下一步工作措施 › 七是加强商会服务保障", "answering", "statement"),
    # headings, boilerplate, statistics, definitions and articles
    ("（一）加强全市招商统筹。", "answering", "一、提案办理情况", "answering", "heading"),
    ("**三是推行外资全程代办。**", "answering", "二、已开展的主要工作", "answering", "heading"),
    ("您在市政协五届二次会议上提出的《关于推动我市招商引资工作高质量发展的提案》（第205号）收悉。",
     "answering", "", "proposer", "boilerplate"),
    ("我局高度重视提案办理工作，逐条研究、逐项落实。", "answering", "", "answering", "boilerplate"),
    ("感谢您对全市招商引资工作的关心和支持，欢迎继续提出宝贵意见。", "answering", "", "answering", "compliment"),
    ("截至7月底，全市新签约合同项目开工率为94.49%，资金到位率为57.32%。", "answering", "", "answering", "statistic"),
    ("所谓“政府经纪人”，是指由熟悉产业和资本运作的干部，像经纪人一样在企业、园区和金融机构之间牵线搭桥。",
     "answering", "", "answering", "statement"),
    ("第四条 招商项目信息共享机制由信息共享、客商分流、项目流转、台账跟踪、成果共享五项机制组成。",
     "answering", "第二章", "answering", "statement"),
]


@pytest.mark.parametrize(("sentence", "author", "section", "actor", "kind"), CASES,
                         ids=[f"{c[4]}-{i}" for i, c in enumerate(CASES)])
def test_each_sentence_is_read_for_its_actor_and_kind(sentence: str, author: str, section: str, actor: str,
                                                      kind: str) -> None:
    reading = read_sentence(sentence, author, is_statistic, section)  # type: ignore[arg-type]
    assert (reading.actor, reading.kind) == (actor, kind)


def test_only_the_answering_bodys_deeds_are_measures_taken() -> None:
    measures = [c for c in CASES if read_sentence(c[0], c[1], is_statistic, c[2]).is_done_measure]  # type: ignore[arg-type]
    assert {c[4] for c in measures} == {"action"} and {c[3] for c in measures} == {"answering"}
    assert not any(read_sentence(c[0], c[1], is_statistic, c[2]).is_done_measure  # type: ignore[arg-type]
                   for c in CASES if c[4] in ("compliment", "criticism", "heading", "boilerplate", "statistic"))


def test_the_author_of_a_document_is_known_from_its_office_title_or_file_name() -> None:
    assert document_author(OFFICE, "安康市招商和经济合作局对市政协五届二次会议第205号提案的答复函", "答复函", OFFICE) == "answering"
    assert document_author("汉中市经济合作局", "汉中市经济合作局关于市九届人大三次会议第56号建议的答复", "答复函",
                           OFFICE) == "other"  # another city's bureau
    assert document_author("", "关于全市招商引资项目落地情况的调研报告", "报告", OFFICE,
                           "2023-08_调研报告_市人大常委会招商引资项目落地情况调研报告 (审议稿).txt") == "other"
    assert document_author("安康市人民政府办公室", "关于印发某办法的通知", "通知", OFFICE) == "city"


def test_relative_time_words_of_an_older_document_become_absolute_or_are_flagged() -> None:
    text = "我局今年与市行政审批局联合推出重点项目“项目管家”帮办代办服务，上半年已覆盖全部县区。"
    same_year, flags = absolute_time(text, date(2023, 7, 28), date(2023, 9, 1))
    assert same_year == text and not flags
    later, flags = absolute_time(text, date(2023, 7, 28), date(2024, 3, 5))
    assert later == "我局2023年与市行政审批局联合推出重点项目“项目管家”帮办代办服务，2023年上半年已覆盖全部县区。"
    assert not flags
    _, vague = absolute_time("近年来，我局紧扣市委部署，目前已建成五个驻外机构。", date(2023, 10, 20), date(2024, 5, 1))
    assert vague == ["近年来", "目前"]
    assert absolute_time("2023年上半年已完成。", date(2023, 7, 1), date(2024, 1, 1))[0] == "2023年上半年已完成。"


def test_a_document_is_dated_by_its_text_else_by_its_file_name() -> None:
    assert document_date("2023-07-28") == date(2023, 7, 28)
    assert document_date("", "2023-04_工作报告_一季度.txt") == date(2023, 4, 30)  # never older than it is
    assert document_date("", "会议纪要.txt") is None
