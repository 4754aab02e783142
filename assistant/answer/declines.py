"""Saying plainly what cannot be answered: unknown names, opinions, ambiguous bodies, nothing found."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from itertools import groupby

import jieba.posseg as posseg

from assistant.answer.coverage import FRAME_WORDS
from assistant.answer.understand import (
    Parsed,
    RegionName,
)
from assistant.db.reference import METRICS
from assistant.tools.types import Figure, cn_date

EXAMPLES = [
    "汉阴县一季度外商直接投资完成进度？",
    "一季度各县区实际引进内资排名",
    "一季度哪些县区内资低于序时进度？",
    "项目管家是什么？",
    "下一步如何补齐外资短板？",
]


def unknown_forms(kind: str, span: str) -> list[str]:
    """How a document would write a body the tables lack (大湾区联络处, 大湾区招商联络处; 航空航天 for its chain)."""
    if kind == "联络处":
        name = re.sub(r"(?:招商)?(?:联络处|办事处)$", "", span)
        return [f"{name}联络处", f"{name}招商联络处", f"{name}办事处"]
    if kind == "产业链":
        return [span.removesuffix("产业链")]
    if kind == "企业":
        return [re.sub(r"(?:有限公司|股份公司|公司|集团)$", "", span)]
    return [span]


def unknown_lead(unknown: list[tuple[str, str]], existing: dict[str, list[str]], quoted: bool) -> str:
    """The first sentence for a question naming bodies the database does not hold: which, and what it does hold."""
    parts = []
    for kind, span in unknown:
        have = existing.get(kind, [])
        listed = "、".join(have[:20]) + ("等" if len(have) > 20 else "")
        parts.append(f"项目数据库中没有找到{kind}“{span}”" + (f"（现有{kind}：{listed}）" if listed else ""))
    tail = "以下是知识库文档中提到它的内容（未经数据库核对）。" if quoted else "知识库中也没有找到相关内容，为避免误导，不作推测。"
    return "；".join(parts) + "。" + tail


# A count of the ledgers' things the question gives (那146个问题里, 承接的12个…项目): the set it asks about.
GIVEN_COUNT = re.compile(r"(?<![前第\d.])(\d+)\s*(?:多|余)?\s*(?:个|条|家|件|项|场次|场|批次|名|位)[\u4e00-\u9fa5]{0,8}?"
                         r"(?:项目|问题|诉求|企业|线索|活动|干部|人才|客商|商会|事项)")


# The ledgers whose issues are dated, as a question names them; a question about 问题/诉求 reads the problem ledger.
LEDGER_NAMES = {"projects": "项目台账", "problems": "问题台账"}
_PROBLEM_LEDGER = re.compile(r"问题|诉求")


def unheld_issue(text: str, day: date | None, issues: dict[str, list[date]]) -> str:
    """The answer when a question reads a ledger issue the database does not hold (8月4号那期台账 when the newest is
    7月28日; 6月16日 when the history starts on 6月30日): which issues there are, instead of another date's figures."""
    kind = "problems" if _PROBLEM_LEDGER.search(text) and issues.get("problems") else "projects"
    held = issues.get(kind, [])
    if day is None or not held or day in held:
        return ""
    # the year is written where it changes: 2023年6月30日、7月7日…、2024年1月5日
    listed = "、".join(cn_date(d) if i == 0 or d.year != held[i - 1].year else f"{d.month}月{d.day}日"
                       for i, d in enumerate(held))
    return (f"没有找到{cn_date(day)}那一期{LEDGER_NAMES[kind]}的数据（已导入的各期：{listed}，最新一期为"
            f"{cn_date(held[-1])}），为避免误导，不用其他日期的台账代替。请按已有的台账日期提问。")


def given_counts(text: str) -> list[float]:
    """The counts of projects, problems or companies a question gives as its premise (137个项目里高新区有多少个,
    那146个问题, 承接的12个…项目) — not a number of them asked for (投资最大的5个项目, 前3个)."""
    counts = []
    for m in GIVEN_COUNT.finditer(text):
        before, after = text[: m.start()], text[m.end():]
        if re.search(r"最[\u4e00-\u9fa5]{0,3}的$", before):
            continue
        if re.search(r"(?:那|这|那些|这些|[\u4e00-\u9fa5]的)$", before) or re.match(r"[，,]?\s*(?:里|中|当中|里面|之中|其中)", after):
            counts.append(float(m.group(1)))
    return counts


# A rate a question states as its premise (上半年合同履约率84.6%，到期应履约的项目一共多少个): the rate word, then its
# value, with no threshold word between them (开工率低于80%的 sets a level, it states no figure).
GIVEN_RATE = re.compile(r"([\u4e00-\u9fa5]{1,3}(?:率|占比|比重|进度))(?:还|就|都|也|已|已经)?(?:是|为|达到?|有|只有|仅|才)?"
                        r"\s*(\d+(?:\.\d+)?)\s*[%％]"
                        r"(?!\s*(?:及|或)?(?:以上|以下|以内|左右|上下|的))")


def given_rates(text: str) -> list[tuple[str, float]]:
    """The rates a question states as figures of its own (履约率, 84.6 of 合同履约率84.6%), not levels it sets (低于80%)."""
    return [(m.group(1)[-3:], float(m.group(2))) for m in GIVEN_RATE.finditer(text)]


# The units a figure counts things in: a set a question gives (那146个问题) is the database's only when one of these says so.
COUNT_UNITS = ("个", "家", "件", "项", "次", "条")


def gives_another_set(text: str, figures: list[Figure]) -> bool:
    """The question gives a set the tools' results are not: a count none of the results states (那146个问题里涉及用地的
    有几个, where the ledger holds 11 problems: a project's id or a 12.00亿元 is no set of 12), or a rate the results
    give otherwise (上半年合同履约率84.6% of a report, where the ledger's rows give 96.15%)."""
    counted = {f.value for f in figures if f.unit in COUNT_UNITS}
    if any(n not in counted for n in given_counts(text)):
        return True
    for word, value in given_rates(text):
        rated = [f for f in figures if word in f.label and f.value is not None]
        if any(f.unit == "%" for f in rated) and not any(round(f.value or 0, 1) == round(value, 1) for f in rated):
            return True
    return False


# An amount or rate a question gives as its premise (那121.8万美元外资, 资金到位率57.32%，…): a figure said before,
# of which something more is asked.
GIVEN_AMOUNT = re.compile(r"(?:(?:那|这)(?:笔|个)?\s*(\d+(?:\.\d+)?)\s*(万美元|亿元|万元|亿|%)|"
                          r"(\d+(?:\.\d+)?)\s*(万美元|亿元|万元|亿|%)\s*[，,])")
# What is asked of such a figure beyond itself, and what a sentence stating it must also hold to answer that: which
# projects or companies (a name), when (a day), in how many parts (笔), how much money a rate is (an amount).
PREMISE_ASKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"哪(?:几|些|个|家)[^，。？?]{0,3}(?:项目|企业|公司|单位)|(?:项目|企业|公司)(?:是|有)?哪(?:几|些|个|家)"),
     # names listed (锂电池正极材料、钒钛新材料项目), or a company's name: not a kind of project (新签约项目)
     re.compile(r"[\u4e00-\u9fa5]{2,}(?:项目)?、[\u4e00-\u9fa5]{2,}项目|[\u4e00-\u9fa5]{2,}(?:有限公司|股份公司|集团)")),
    (re.compile(r"哪天|哪一天|几号|什么时候到|啥时候到"), re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")),
    (re.compile(r"几笔|分几次|分几批"), re.compile(r"\d+\s*笔|分\s*\d+\s*[次批]")),
    (re.compile(r"多少(?:个)?亿|多少钱|多少万(?:元|美元)?|(?:总投资|投资额|金额|资金)[^，。？?]{0,6}多少"),
     re.compile(r"\d+(?:\.\d+)?\s*(?:亿元|万美元|万元|亿)")),
)


def given_amounts(text: str) -> list[tuple[str, str]]:
    """The figures a question gives itself (那121.8万美元, 下降了18.35%，): (number, unit) as written."""
    return [(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in GIVEN_AMOUNT.finditer(text)]


def premise_unanswered(text: str, figures: list[Figure], quotes: list[str]) -> bool:
    """The question gives a figure (那121.8万美元外资) and asks something of it (是哪几个项目进的, 分几笔到的, 到位的
    钱是多少亿) that neither a tool's figure of that value nor a quoted sentence stating the value answers: a sentence
    restating the figure is the premise again, not the answer."""
    given = given_amounts(text)
    # …or a count of things it gives (这7个项目总投资加起来多少)
    counted = [m for m in GIVEN_COUNT.finditer(text) if float(m.group(1)) in given_counts(text)]
    given += [(m.group(1), "") for m in counted]
    if not given:
        return False
    rest = GIVEN_AMOUNT.sub("", text)
    for m in counted:
        rest = rest.replace(m.group(0), "")
    asks = [holds for asked, holds in PREMISE_ASKS if asked.search(rest)]
    if not asks:
        return False
    values = {float(n) for n, _ in given}
    if any(f.value is not None and round(f.value, 2) in values for f in figures):
        return False  # a row of the database is that figure: its record says the rest
    for quote in quotes:
        for sentence in re.split(r"[。；;]", quote):
            if any(n in sentence for n, _ in given) and all(
                    holds.search(sentence.replace(n + unit, "")) for holds in asks for n, unit in given if n in sentence):
                return False
    return True


# A reason asked (主要是啥原因, 为啥, 咋回事) and the words a sentence giving one uses.
REASON_ASKED = re.compile(r"(?:啥|什么|哪些)原因|原因是(?:啥|什么)|为啥|为什么|咋回事|怎么回事")
CAUSAL = re.compile(r"由于|因为|受[^，。；]{1,16}影响|原因|导致|造成|主要是")
FALLING = re.compile(r"下降|下滑|减少|降了|掉了|负增长|回落")


def reason_unanswered(text: str, places: list[str], quotes: list[str], figures: list[Figure] | None = None) -> bool:
    """The question gives a place's figure (汉阴县一季度内资同比下降了18.35%) and asks why: a sentence quoted must give a
    reason and name that place — the figure restated, or another place's reasons, do not answer it. A premise the
    database contradicts (下降了17.79% where it rose 17.79%) is not declined: the figure shown corrects it."""
    given = [float(n) for n, _ in given_amounts(text)]
    if not places or not REASON_ASKED.search(text) or not given:
        return False
    falling = FALLING.search(text) is not None
    if any(f.value is not None and round(abs(f.value), 2) in given and (f.value < 0) != falling
           for f in figures or []):
        return False
    return not any(CAUSAL.search(sentence) and any(p in sentence for p in places)
                   for quote in quotes for sentence in re.split(r"[。；;]", quote))


# What a question asks of the set it gives (那146个问题里涉及用地的有几个 → 用地, 137个项目里高新区有多少个 → 高新区).
SUBSET = re.compile(r"(?:(?:里|中|当中|之中)面?[，,]?|^[^，,]{0,3}[，,])(?:涉及|属于|关于|有关|和|跟)?([\u4e00-\u9fa5]{1,10}?)[的了]?"
                    r"(?:有|占|是)?(?:几|多少)")


def subset_unanswered(text: str, passages: list[str]) -> str:
    """The part of a given set a question counts (用地 of 那146个问题里涉及用地的有几个) when no passage gives a count
    of that part itself — a total of the set (146个), or a count of a list of parts (18个涉及用地指标、电力扩容等),
    does not answer it; "" when a passage does, or when the question counts no part of a given set."""
    given = next((m for m in GIVEN_COUNT.finditer(text) if float(m.group(1)) in given_counts(text)), None)
    asked = SUBSET.search(text[given.end():]) if given else None
    if asked is None:
        return ""
    # its content words: 已经解决 is counted where a passage writes 已解决128个
    words = "".join(t.word for t in posseg.cut(asked.group(1)) if t.flag[0] not in "dpcurf")
    # (总投资一共多少: the total asked, which a passage writes as 总投资286.4亿元)
    words = re.sub(r"一共|总共|合计|共计|总计|加起来|合起来", "", words)
    if not words:
        return ""  # 里还有多少个没解决: the part is named after the count, not read here
    part = re.escape(words)
    counted = (rf"\d+(?:\.\d+)?\s*[个条家件项名人][^，。；、]{{0,6}}{part}(?![^，。；]{{0,6}}、)|"
               rf"{part}[^，。；、]{{0,8}}?\d")
    return "" if any(re.search(counted, p) for p in passages) else words


def set_unspoken(text: str, quotes: list[str]) -> str:
    """What a question asks of a set it gives by its count, other than a count (那31个项目里投资最大的是哪个 →
    投资最大的是哪个), when no quote speaks of that set (names its count): a sentence about other projects answers
    nothing about those 31. "" when a quote names the count, or the question asks a count (subset_unanswered's)."""
    given = next((m for m in GIVEN_COUNT.finditer(text) if float(m.group(1)) in given_counts(text)), None)
    if given is None or SUBSET.search(text[given.end():]) is not None or not quotes:
        return ""
    count = re.escape(given.group(1))
    if any(re.search(rf"(?<![\d.]){count}\s*[个条家件项名]", q) for q in quotes):
        return ""
    # what follows the count and its measure word (25件都是啥问题 → 都是啥问题: the match may run over the ask)
    rest = re.sub(r"^\s*[个条家件项名场批次位]?(?:问题|项目|企业)?", "", text[given.start(1) + len(given.group(1)):])
    # the clause that asks, without the figures it repeats (…，剩下7场都是啥活动 → 剩下都是啥活动): a decline states
    # no number
    ask = re.split(r"[，,；;]", re.sub(r"^(?:里面?|中|当中|之中)|[？?。]$", "", rest))[-1]
    return re.sub(r"\d+(?:\.\d+)?\s*[个条家件项名场批次位]?", "", ask)


# Two answers offered for the question to choose from (他是局长还是副局长, 是新建还是续建): what each side says.
CHOICE = re.compile(r"([\u4e00-\u9fa5]{1,8})还是([\u4e00-\u9fa5]{1,8}?)(?:呢|啊|吗|呀)?(?:[。？?！!]|$)")


def choice_unspoken(text: str, quotes: list[str]) -> str:
    """The choice a question offers (局长还是副局长) when no quote writes either side's word: a passage about the
    document or the person answers nothing about which it is. "" when a quote writes one, or no choice is asked."""
    m = CHOICE.search(text)
    if m is None or not quotes:
        return ""
    sides = []
    for part, last in ((m.group(1), True), (m.group(2), False)):
        tokens = list(posseg.cut(part))
        words = [t.word for t in tokens if t.flag[0] not in "dpcur" and len(t.word) >= 2]
        if not words:
            return ""
        # the nouns written together (市财政 of 是市财政出, 县区财政): a side is told apart by all of them, not by the
        # one word both sides share (财政)
        runs = [run for noun, group in groupby(tokens, key=lambda t: t.flag[0] == "n")
                if noun and len(run := "".join(t.word for t in group)) >= 3]
        sides.append(max(runs, key=len) if runs else words[-1] if last else words[0])
    plain = "".join(quotes)
    asked = re.split(r"是|为|算|按", m.group(1))[-1] or m.group(1)  # 他是经合局局长 → 经合局局长
    return "" if any(side in plain for side in sides) else f"{asked}还是{m.group(2)}"


# A question asking the assistant's own judgement (你觉得…好不好, 你对…怎么评价, 该不该): no document or row holds it.
# 你觉得外资为什么落后 asks the reasons the documents give, 你认为汉阴完成得怎么样 a figure: neither is matched.
OPINION = re.compile(r"你们?(?:个人)?(?:觉得|认为|看|怎么看|对)[^。？?]{0,30}?(?:评价|怎么看|看法|好不好|行不行|该不该|对不对|"
                     # two ways weighed (项目管家和政府经纪人哪个模式更好使)
                     r"哪(?:个|种)[^，。？?]{0,4}?更?(?:好使|好用|管用|有效|高明|靠谱|好)|更(?:好使|好用|管用|有效|高明)|"
                     r"合不合理|合理吗|应不应该|值不值得|更值得|最值得|靠不靠谱|靠谱吗|满意吗|(?:干|做|搞)得(?:怎么样|好吗|好不好|行吗|如何)|"
                     # a judgement of a rule or a figure's level (外资只给10分是不是定低了, 这个权重合适吗)
                     r"是不是[^，。？?]{0,4}?(?:低|高|少|多|严|松|宽|紧|重|轻)了|合适吗|合不合适|科学吗|公平吗|公不公平|妥当吗|"
                     # …or said the other way round (目标定高了没, 要不要往下调)
                     r"(?:低|高|少|多|严|松|宽|紧|重|轻)了(?:没有?|吗|不)|要不要[^，。？?]{0,4}?(?:调|改|降|提|压|砍|加))|"
                     # asked for the assistant's own view in so many words (说说你的看法, 你怎么看)
                     r"(?:你|您)(?:的|个人的?)(?:看法|观点|意见|评价|判断)|你们?(?:个人)?怎么看(?:待)?")


# A ranking of people by a personal quality (哪个局长能力最强, 谁的水平更高): a judgement of persons, which no table
# or document scores — unlike a unit's figures (哪个县区完成进度最好), which are ranked by the data.
PERSON_JUDGED = re.compile(r"(?:局长|主任|书记|市长|县长|区长|干部|领导|管家|负责人|同志|人员)[^，。？?]{0,3}?"
                           r"(?:能力|水平|素质|作风|人品|本事|口碑)[^，。？?]{0,2}?(?:最|更|比较|谁)")


# A question asking whether something will happen (明年能按期投产吗, 下半年能不能完成全年目标, 会不会超过汉滨): an
# outcome not reached yet, which no row records and no document can state — unlike a rule's possibility (能不能配管家,
# 能算进外资考核吗), which is not an outcome of this kind.
OUTCOME = r"(?:按期|如期|按时|顺利|提前|全面|超额)?(?:完成|实现|达到|达标|投产|开工|竣工|建成|超过|赶上|追上|突破|反超|翻番|过(?=\s*[\d一二两三四五六七八九十百千]))"
PREDICTION = re.compile(rf"(?:能不能|能否|会不会|有没有希望|有没有可能|可能|有望){OUTCOME}|能{OUTCOME}[^，。？?]{{0,12}}[吗么]|"
                        r"(?:依你看|你估计|你预测|你预计|你猜)|"
                        # when a step not taken yet will be (估计啥时候能过, 大概啥时候能签下来)
                        r"(?:估计|大概|大约|估摸)[^，。？?]{0,6}?(?:啥时候|什么时候|何时|哪天|几月份?)[^，。？?]{0,2}?(?:能|会|可以|才能)|"
                        # a later figure weighed against one recorded (下半年会不会比上半年多), or the present pace
                        # carried forward (照现在的进度…能到多少)
                        r"(?:下半年|明年|年底|年末|今后|以后|将来|下个?月|下一?季度)[^。？?]{0,16}?会不会|照(?:现在|目前|这样|眼下|今年|当前)?(?:这个|这种|这样)?的?(?:进度|速度|势头|节奏|趋势|劲头|态势)")


# A request to do something outside the assistant (把…用邮件发给王局长, 帮我给招商局打个电话催一下, 帮我把…删掉): it
# only reads the documents and the database, so such a request is declined, not answered by a loosely related quote.
ERRAND = re.compile(r"(?:帮我|替我|帮忙|麻烦你?|请你|你去|把)[^，。？?]{0,30}?(?:(?:用|通过)?(?:邮件|短信|微信)(?:发|转)|"
                    r"发(?:邮件|短信|微信)|(?:发|转发|转|转交|抄送)给(?!我)|打(?:个|一个)?电话|删掉|删了|通知一下|催一下|提醒一下|预约)")


# A request to change records or arrange things (帮我把…改成已投产, 帮我约一下…, 帮我订一张机票, 帮我给…发个通知): the
# assistant reads and does not write or book — but 帮我把单位改成万元 (how to show a figure) is still answered.
CHANGE = re.compile(r"(?:帮我|替我|帮忙|麻烦你?|请你?|你去|把)[^，。？?]{0,30}?(?:(?:改成|改为|更新为|更新成|标记为|设为|"
                    # (改成万元, 改成1-7月, 改成2022年 change how or what is shown; 从88.60改成90亿 changes a record)
                    r"设置为)(?!\s*(?:[亿万元美百]|人民币|保留|显示|小数|[一二三四]季度|上半年|下半年|全年|同比|累计|"
                    r"\d{1,2}\s*(?:[-—~至到]\s*\d{1,2}\s*)?月|\d{4}\s*年|\d+(?:\.\d+)?\s*(?:位|个单位)))|改一下|修改|更新一下|"
                    r"录入|订(?:一|个|张)|预订|约一下|约个|安排一下|发(?:个|一个|一条)?(?:通知|消息))")


def asks_errand(question: str) -> bool:
    """Whether the question asks the assistant to send, call, notify, delete, change or book something for the asker."""
    # 把线索转发给谁要多久: a question about the procedure, not a request
    asks = re.search(r"多久|多长|多少|几|哪|什么|怎么|如何|是否|要不要", question)
    # 把汉阴改成石泉呢, 改成上半年看看: a follow-up changing what is asked, not a request to change a record
    asks = asks or re.search(r"[呢吧][？?]?$|看看|试试", question.strip())
    return (ERRAND.search(question) is not None or CHANGE.search(question) is not None) and not asks


# Code or markup pasted as a question (a query, a script tag, a template or lookup expression): nothing is run, and
# its words are no question — 1' OR '1'='1' UNION SELECT…, <script>…</script>, {{7*7}}, ${jndi:…}.
CODE = re.compile(r"(?i)\b(?:select|union|insert|update|delete|drop|alter)\b.{0,80}?\b(?:from|into|table|set|where|select)\b"
                  r"|<\s*script\b.*?<\s*/\s*script\s*>|<\s*/?\s*(?:script|iframe|img|svg|a)\b|\{\{.*?\}\}|\$\{[^}]*\}|javascript:|'\s*or\s*'?\d+'?\s*=\s*'?\d+")
# What makes Chinese text a question even around a pasted fragment (这个SQL报错是什么意思, 多少).
_ASKED_IN_CHINESE = re.compile(r"多少|哪|什么|吗|怎么|如何|几|谁|是否|有没有|？|\?\s*$")


def pasted_code(question: str) -> bool:
    """Whether the question is code or markup with no question asked in Chinese around it."""
    return CODE.search(question) is not None and _ASKED_IN_CHINESE.search(CODE.sub("", question)) is None


def asks_prediction(question: str) -> bool:
    """Whether the question asks for a forecast of an outcome, not what has been recorded or written."""
    return PREDICTION.search(question) is not None


# A document asked for by the body that issued it (省里新出台的政策, 国务院关于稳外资的文件): the issuer as written,
# then the word a document's heading would carry for it (a provincial office's heading writes 省).
ISSUERS = {"省里": "省", "省上": "省", "省级": "省", "省委": "省委", "省政府": "省", "国务院": "国务院", "国家": "国家",
           "中央": "中央", "商务部": "商务部", "发改委": "发改委"}
ISSUED = re.compile(rf"({'|'.join(ISSUERS)})(?!级)[^，。？?对]{{0,12}}?(?:政策|文件|办法|通知|意见|精神|条例)")


def missing_issuer(question: str, heads: Callable[[str], bool]) -> str:
    """The issuer of the document asked for (省里, 国务院) when no document of the knowledge base is headed by it
    (`heads(word)`: a heading writes the word), else "": another body's document does not answer it."""
    m = ISSUED.search(question)
    return m.group(1) if m and not heads(ISSUERS[m.group(1)]) else ""


# The currency a money unit is in (亿元、万元 are yuan, 万美元、美元 dollars): a metric is kept in its own, never converted.
_CURRENCY = re.compile(r"(万?美元|美金)|(亿元|万元|人民币|个亿)")


def unit_mismatch(parsed: Parsed) -> tuple[str, bool]:
    """A figure asked in another currency than its metric's: (what to say, whether to answer nothing else). A share
    asked in money (白河县一季度内资完成进度是多少万美元) cannot be answered, so the user is asked which was meant;
    an amount (紫阳县上半年内资是多少万美元) is given in the metric's own unit, with the note. ("", False) when the
    units fit or none is said."""
    kept = "、".join(f"{m.name}以{m.unit}计" for m in METRICS)
    if len(parsed.metrics) == 1 and (physical := _PHYSICAL_UNIT.search(parsed.text)) \
            and not _MEASURED_THINGS.search(parsed.text):
        # 白河县上半年内资到位多少公斤: a sum of money has no weight, area or length to give
        return (f"问题里的“{physical.group(1)}”不是{parsed.metrics[0].name}的单位（{kept}），无法按此回答。"
                f"请核对单位，例如问“{parsed.metrics[0].name}是多少{parsed.metrics[0].unit}”。"), True
    said = [("美元" if m.group(1) else "元") for m in _CURRENCY.finditer(parsed.text)]
    if len(parsed.metrics) != 1 or not said or len(set(said)) != 1:
        return "", False
    metric = parsed.metrics[0]
    if said[0] == ("美元" if "美元" in metric.unit else "元"):
        return "", False
    unit = next(m.group(0) for m in _CURRENCY.finditer(parsed.text))
    if _SHARE_IN_MONEY.search(parsed.text):
        return (f"问题里的“{unit}”与所问的{metric.name}不符：完成进度、同比是百分比，{kept}，两者不互相换算。"
                f"请说明要问的是{metric.name}的完成进度（%）、金额（{metric.unit}），还是另一项指标。"), True
    return f"问题里的“{unit}”与{metric.name}的单位不符（{kept}，两者不互相换算），按{metric.unit}回答", False


# An amount asked in a unit of weight, area, length, volume or energy (到位多少公斤, 完成了几吨): no money is counted so.
_PHYSICAL_UNIT = re.compile(r"(?:多少|几)\s*个?\s*(公斤|千克|克|吨|斤|平方米|平米|平方公里|亩|公顷|公里|千米|米|升|立方米|千瓦时|度电)(?![面式案法位])")
# …unless the question is about what is so measured (用地多少亩, 厂房多少平方米, 产能几吨)
_MEASURED_THINGS = re.compile(r"用地|土地|厂房|面积|产能|产量|规模|电量|用电|用水|排放")


# A share or rate asked as a sum of money (完成进度是多少万美元, 同比多少亿): no figure can answer it.
_SHARE_IN_MONEY = re.compile(r"(?:进度|完成率|同比|增速|增幅|比重|占比)[^，。？?、]{0,4}(?:多少|几)\s*(?:万?美元|美金|亿元|万元|个亿)")


def asks_opinion(question: str) -> bool:
    """Whether the question asks the assistant to judge (a person's work, a decision), not what a source says."""
    return OPINION.search(question) is not None or PERSON_JUDGED.search(question) is not None


# Name-like parts of speech (jieba's tags): a person, organisation, place or other proper name, a Latin word.
NAME_TAGS = ("nr", "nrt", "nrfg", "nt", "nz", "ns", "eng")
# Words a question opens with before its subject (请问比亚迪…, 帮我查一下隆基…).
OPENERS = {"请问", "请", "帮", "帮我", "我", "想", "问", "问一下", "查", "查一下", "看看", "了解", "一下", "那", "那么", "这个",
           "关于", "你好", "您好", "咱们", "我们"}
# Short words that end a name (比亚迪跟咱们…, 隆基绿能在安康…): a function word, not the name's last character.
NAME_STOP = set("在跟和与及的是有对了吗呢把给向从到为被让")


def unknown_subject(text: str, knows: Callable[[str], bool], known_words: list[str],
                    writes: Callable[[str], bool] | None = None) -> str:
    """The proper name a question opens with (比亚迪跟咱们对接到哪一步了, 隆基绿能在安康有没有项目) when neither the
    documents nor the database's vocabulary holds it: the question is about something the knowledge base does not
    know, and no passage about its other words answers it. "" when the subject is known or not a name.
    `writes(text)`: whether the documents have the text anywhere; a two-character name (华为) is taken only when
    they do not (库里 is written, in 项目库里) — without it, only names of three characters or more."""
    tokens = [(t.word, t.flag) for t in posseg.cut(text) if t.word.strip()]
    i = 0
    while i < len(tokens) and tokens[i][0] in OPENERS:
        i += 1
    if i >= len(tokens):
        return ""
    word, flag = tokens[i]
    latin = re.fullmatch(r"[A-Za-z]+", word) is not None
    # a name of two characters or more (华为, 比亚迪, 隆基绿能), no part of which the documents use (库里 is 项目库里,
    # 丝博 is 丝博会, 五月份 a month), nor a question word
    # nor a word every question may frame itself with (各县区, 全市): whatever the tagger calls it, it names no one
    # two characters the tagger joins but a locative or plural ends (库里, 市里, 局里, 他们) are no name
    short = not latin and len(word) == 2
    if short and word[-1] in "里中内上下边头们":
        return ""
    if (flag not in NAME_TAGS or len(word) < 2 or re.search(r"\d", word) or knows(word) or knows(word.lower())
            or short and (writes is None or writes(word))
            or word in FRAME_WORDS or word.lstrip("各每全") in FRAME_WORDS
            or re.search(r"哪|什么|多少|几|[年月日]", word)
            or not latin and any(knows(word[j:j + 2]) for j in range(len(word) - 1))):
        return ""
    name = word
    for nxt, _ in tokens[i + 1:]:
        if latin or len(nxt) != 1 or nxt in NAME_STOP or not re.match(r"[\u4e00-\u9fa5]", nxt):
            break
        name += nxt
    if any(name in w or w in name for w in known_words if len(w) >= 2):
        return ""
    return name


def ambiguous_body(parsed: Parsed, departments: list[str], regions: list[RegionName]) -> str:
    """When the department named is a body every region of a kind has (管委会: each 开发区's) and the question names
    no region, the question (in Chinese) asking which one; else ""."""
    key = parsed.slots.department
    if not key or parsed.regions:
        return ""
    matches = [d for d in departments if key in d]
    owners = [r for d in matches for r in regions if not r.is_city and any(d.startswith(w) for w in (r.name, *r.aliases))]
    if not matches or len(owners) != len(matches):
        return ""
    kinds = {r.kind for r in owners}
    same = [r.name for r in regions if r.kind in kinds and not r.is_city]
    if len(same) < 2:
        return ""
    example = f"{owners[0].aliases[0] if owners[0].aliases else owners[0].name}{key}"
    return (f"“{key}”没有指明是哪一个：{'、'.join(same)}各有{key}（问题台账中的责任部门有{'、'.join(matches)}）。"
            f"请写明是哪个{key}，例如“{example}负责的问题”。")


def nothing_found() -> str:
    examples = "\n".join(f"· {q}" for q in EXAMPLES)
    return (
        "知识库和项目数据库中没有找到与这个问题直接相关的内容，为避免误导，不作推测。\n"
        f"可以这样问：\n{examples}"
    )


# A person the question names by the role a document gives them (刘文涛委员, 张宏伟代表, 联系人陈思远, 外资科孙某, 周局长) …
_PERSON = re.compile(r"([\u4e00-\u9fa5]{2,3}?)(?:代表|委员|局长|主任|科长|处长|书记)|联系人(?:是|叫)?([\u4e00-\u9fa5]{2,3}?)(?=[，,。？?是的那这家]|$)"
                     r"|(?<![\u4e00-\u9fa5])([\u4e00-\u9fa5]某)|(?<=[科处办局])([\u4e00-\u9fa5]某)")
# …and a detail of their own asked (哪个界别, 哪个单位的, 哪个科室, 什么职务, 多大岁数, 家住哪, 私人手机, 全名): documents
# name people by their role in the matter, not by their record.
_PERSONAL_DETAIL = re.compile(r"(界别|哪个单位|什么单位|工作单位|哪个科|哪个处|科室|职务|职位|岁数|年龄|多大了|家住|住址|住哪|"
                              r"手机|私人|微信|身份证|全名|籍贯|学历|干啥工作|做什么工作|干什么工作|什么工作|是干啥的|是做什么的)")
_POST_DETAIL = re.compile(r"单位|科|处|职务|职位|工作|干啥的|做什么的")
_POST_ONLY = re.compile(r"职务|职位")
_TITLED = re.compile(r"局长|主任|科长|处长|书记")
_UNIT_DETAIL = re.compile(r"单位|科|处")
UNIT_ENDINGS = ("局", "委", "办", "中心", "公司", "集团", "政府", "科", "处")
UNIT_REACH, DETAIL_REACH = 12, 40  # characters around a name a passage writes its unit, or another detail, within
_NOT_A_PERSON = {"人大", "政协", "市人大", "市政协", "人大常", "常委", "这位", "那位", "哪位", "该", "驻外", "各位", "全市"}


def unheld_person_detail(question: str, written_with: Callable[[str, tuple[str, ...], int], bool],
                         people: list[str]) -> str:
    """What to say when a question asks a personal detail (界别, 单位, 职务, 年龄, 手机) of a person a document names
    (提205号提案的刘文涛委员是哪个界别的, 167号答复的联系人刘洋是哪个科的) and no passage writes that detail beside the
    person's name: the documents name people by their part in the matter, not by their record; "" otherwise.
    `written_with(name, words, reach)` tells whether some passage writes one of the words within `reach` characters
    of the name; the database's `people` (驻西安联络处负责人吴某) have their unit and post in its tables, which answer
    that."""
    detail = _PERSONAL_DETAIL.search(question)
    if detail is None:
        return ""
    for m in _PERSON.finditer(question):
        name = next(g for g in m.groups() if g)
        if name in _NOT_A_PERSON or len(name) < 2:
            continue
        asked = detail.group(1)
        if name in people and _POST_DETAIL.search(asked) or _TITLED.search(m.group(0)) and _POST_ONLY.search(asked):
            continue  # (周立衡局长是什么职务: the title the question writes is the post)
        if _UNIT_DETAIL.search(asked):
            # 市招商和经济合作局局长周立衡: a unit is written just before the name, not as the word 单位
            held = written_with(name, UNIT_ENDINGS, UNIT_REACH)
        else:
            word = re.sub(r"^(?:哪个|什么|工作)|多大了|是?(?:干啥|做什么|干什么)的?$", "", asked) or asked
            held = written_with(name, (word,), DETAIL_REACH)
        if not held:
            return (f"知识库和项目数据库中没有{m.group(0)}的个人信息（所在单位、职务、年龄、联系方式等，问的是“{detail.group(1)}”），"
                    f"只记有其在相关事项中的角色，为避免误导，不作推测。")
    return ""
