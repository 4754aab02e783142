"""Reading proposals: suggestions from text or a file (GBK too), title, proposer, number."""

from __future__ import annotations

from pathlib import Path

from assistant.drafting import read_proposal, split_suggestions
from assistant.drafting.proposal import topic
from assistant.drafting.reply import ReplyRequest
from assistant.numerals import chinese_numeral

PROPOSAL = """关于加快发展低空经济的提案
提案人：李明
市政协五届二次会议第301号
一、基本情况
我市低空经济起步较晚，产业基础薄弱。
二、几点建议
（一）发展低空经济无人机产业，建设无人机产业园。
（二）出台低空空域开放试点政策，争取省级支持。
（三）引进无人机整机和零部件龙头企业。
"""


def test_a_gbk_proposal_file_gives_title_proposer_number_and_suggestions(tmp_path: Path) -> None:
    path = tmp_path / "第301号提案.txt"
    path.write_bytes(PROPOSAL.encode("gbk"))
    parsed = read_proposal(path)
    assert (parsed.title, parsed.proposer, parsed.session, parsed.number) == (
        "关于加快发展低空经济的提案", "李明", "市政协五届二次会议", "301")
    assert parsed.suggestions == ["发展低空经济无人机产业，建设无人机产业园", "出台低空空域开放试点政策，争取省级支持",
                                  "引进无人机整机和零部件龙头企业"]


def test_suggestions_split_at_the_usual_markers_or_lines() -> None:
    assert split_suggestions("一是加强统筹。二是优化服务，推行项目管家。") == ["加强统筹", "优化服务，推行项目管家"]
    assert split_suggestions("1. 建立信息共享机制\n2. 完善考核办法") == ["建立信息共享机制", "完善考核办法"]
    assert split_suggestions("建立信息共享机制\n完善招商考核办法") == ["建立信息共享机制", "完善招商考核办法"]


def test_request_reads_session_and_number_together_and_names_the_proposer() -> None:
    request = ReplyRequest(number="市政协五届二次会议第205号提案", title="关于…的提案", proposer="民建安康市委员会")
    assert (request.session, request.number, request.kind, request.salutation) == (
        "市政协五届二次会议", "205", "提案", "民建安康市委员会")
    assert ReplyRequest(number="78", session="市五届人大二次会议", title="关于…的建议", proposer="张宏伟").salutation == "张宏伟代表"
    assert topic("建议进一步完善招商引资考核办法，由重数量转向重质量") == "完善招商引资考核办法"
    assert [chinese_numeral(n) for n in (1, 10, 12, 20)] == ["一", "十", "十二", "二十"]


def test_a_suggestions_own_number_is_not_taken_for_its_name() -> None:
    # the lead of its paragraph, “（三）关于…。”, names the suggestion, not “第3条”
    assert topic("第3条：建立异地商会联系机制，由市级领导定期走访") == "建立异地商会联系机制"
    assert topic("建议四：设立中介人奖励") == "设立中介人奖励"
    assert topic("3、实行项目管家制度") == "实行项目管家制度"
    assert topic("3.5亿元以上项目单独考核") == "3.5亿元以上项目单独考核"
