"""A small knowledge base for drafting tests: excerpts of two demo documents (corpus/), kept short so
ingest takes seconds, plus the demo database imported as a user would (assistant db import-demo)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase
from tests.conftest import CORPUS

REPLY_205 = """A类

公开

安康市招商和经济合作局

安招函〔2023〕31号

签发人：周立衡

安康市招商和经济合作局对市政协五届二次会议第205号提案的答复函

刘文涛委员：

您在市政协五届二次会议上提出的《关于推动我市招商引资工作高质量发展的提案》（第205号）收悉。现答复如下：

一、提案办理情况

（一）加强全市招商统筹。您在提案中指出，县区之间存在重竞争、轻合作，同质化招商相互内耗，信息不互通等问题。对此，我局在市级层面加大统筹力度，先后出台《关于建立招商项目信息共享机制的实施办法》和《招商引资重点项目线索两单一台账跟踪机制》，用信息共享、客商分流、项目流转、台账跟踪、成果共享五项机制把全市招商拧成“一盘棋”。全市开放招商工作微信交流群用于线索即时通报，各类台账表册由专人定期更新，逐步打破县区之间的信息壁垒，推动各地错位竞争、协同发展。

（五）改进项目落地服务。针对提案中“重招引、轻后扶”的意见，我局今年与市行政审批局联合推出重点项目“项目管家”帮办代办服务，修订“一件事一次办”项目全周期审批事项办事指南，推动招商项目尽早落地、开工、投产。市县两级招商部门对新签约项目定期走访、跟踪服务，企业的问题诉求统一录入签约项目问题台账、动态销号。截至7月底，全市新签约合同项目开工率为94.49%，资金到位率为57.32%。

二、办理中遇到的问题

按照提案建议，我局委托专业机构编制了《安康市智慧招商云平台项目建设方案》，计划把“一图五库”搬到网上，建设“招商引资超市”。由于全市数字政府建设实行统一规划，新建信息化项目须经市发展研究中心审核备案后统一实施，该方案目前仍在报备审核中。

三、下一步工作措施

三是补齐外资短板。紧盯香港铜罗湾集团、万象投资有限公司、威兰丹特集团等外资线索企业，加快在谈外资项目签约进资，扭转外资进度落后的局面。围绕纺织丝绸、康养旅游、中医药等产业，争取参加更多境外专业展会和经贸活动。

四是强化统筹考核。压实市县党政主要领导和“链长”带头招商的责任，明确任务、压实频次，每季度对指标进度和重点项目开展一次督办核查，在完成序时进度的基础上争取在全省争先进位。

安康市招商和经济合作局
2023年7月28日

（联系人：王晓东 电话：0915-3330102）

抄送：市政协提案委员会，市政府督查室。
"""

REPORT_Q1 = """关于2023年一季度全市招商引资工作情况的报告

安康市招商和经济合作局

二、存在的主要问题

（一）外资指标明显滞后。今年起外资按新口径统计，外商直接投资只计境外投资者直接投入的资金，外商投资企业的利润再投资不再计入，全年任务压力较大。

三、下一步工作打算

（一）紧盯招大引强。继续以领导招商和驻地招商为主要抓手，瞄准长三角、京津冀、粤港澳等重点区域，盯紧中国500强、民营500强和行业领军企业，坚持抓龙头、引总部、聚配套，组织“一对一、点对点”的叩门招商，争取引进一批投资规模大、技术层次高、带动能力强的好项目。

（二）深化链式招商。依托链长制，对每条重点产业链的上下游环节和投资前后向关系开展分类研究，找准优势区域、关键项目和核心企业。健全部门与县区、政府与链主企业的联动招商机制，推行产业链定向招商、清单式目标招商和小分队靶向招商，引进一批建链、补链、延链、强链项目和技术团队。

（四）加大宣传推介力度。持续推进“千人百市万企”招商行动，办好丝博会、进博会、投洽会等会展招商，多组织“小、精、特、新”的专题活动，力争每周都有招商小分队在外推介，每天都有客商来安考察洽谈。
"""


def build_data_dir(root: Path) -> Settings:
    settings = Settings(data_dir=root / "data")
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "2023-07_答复函_第205号提案.txt").write_text(REPLY_205, encoding="utf-8")
    (corpus / "2023-04_工作报告_一季度.txt").write_text(REPORT_Q1, encoding="utf-8")
    kb = KnowledgeBase(settings)
    try:
        report = ingest(kb, [corpus])
    finally:
        kb.close()
    assert report.ok and len(report.added) == 2, report.summary()
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")],
                                env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    return settings
