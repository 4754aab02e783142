"""Does a tool's answer cover what the question asks for?

A question names things (a county, a period, a metric, a project — the slots) and asks for something about
them: 宁德时代的**注册资本**, 恒口的**GDP**, 锂电隔膜项目的**项目管家**. The router finds the tool whose
examples are nearest, and that tool answers with what it holds about the named thing; when it holds nothing
about the asked-for attribute, its listing is not an answer. This module finds the asked-for attribute words
— the nouns of the question once the slot values, period words and question words are taken out — and checks
each against everything the tool can speak about: its title, description, example questions and the text
of its result. A noun found nowhere there is an attribute the database does not hold, and the answer says
so instead of printing what the tool happened to return.

It is one check for every tool: a tool declared tomorrow is covered by its own declaration.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jieba import posseg
from pydantic import BaseModel

from assistant.answer.answer_types import POSITION_ASKED
from assistant.answer.leads import is_city_figure
from assistant.answer.understand import SHARE_OF_CITY, Parsed, delexicalise, said_in_slots, why_pattern
from assistant.db.reference import STAGE_ALIASES
from assistant.index.places import gazetteer, home_city
from assistant.index.synonyms import Synonyms
from assistant.index.tokenize import tag
from assistant.numerals import chinese_value
from assistant.tools.county_totals import PER_COUNTY
from assistant.tools.registry import REGISTRY, FigureTool

# Parts of speech that name an attribute (jieba's tags): nouns, proper nouns, English words (GDP),
# abbreviations (人均), fixed phrases (到位率) and verbal nouns (投资, 活动).
ATTRIBUTE_TAGS = ("n", "nz", "ng", "nl", "eng", "j", "l", "vn")
# Nouns that are part of how a question is asked, not what it asks for.
FRAME_WORDS = {
    "情况", "问题", "内容", "数据", "数字", "信息", "东西", "事情", "时候", "方面", "结果", "哪个", "哪家", "有没有",
    "县区", "县", "区", "各县区", "市", "全市", "我市", "地方", "地区", "单位", "部门", "目前", "现在", "最新", "一下",
    "多少", "几个", "名单", "清单", "列表", "明细", "具体", "总共", "一共", "合计", "总计", "分别", "统计",
    # what something is for, asked in speech (拿来干嘛用的, 是干啥的): the question word, not an attribute
    "干嘛", "干啥",
    # how close two figures look to the asker (内资差不多，到底哪个多): the comparison asked, not an attribute
    "差不多", "相当", "接近", "不相上下",
    # the figure itself (那去年同期的数是多少, 这个数值): what is asked, not an attribute
    "数", "数是", "数值", "数儿",
    # …as an amount of money (外资到位金额前两名): the amount a money metric's tool gives
    "金额",
    # how many of them (项目数量, 个数): the count a tool gives, not an attribute
    "数量", "个数",
    # the row of another ledger that goes with one (问题对应的项目, 相应的企业): a join, not an attribute
    "对应", "相应", "所属",
    # a step newly taken (7月份新开工的, 本周新投产的): the step, which the window's tools read
    "新开工", "新投产", "新签约", "新签", "新落地",
    # how far something has got (对接到什么程度, 办到哪一步): the status the tool states, not an attribute
    "程度", "地步",
    # the level something is handled at (县级层面协调的), what is under a body (发改委名下的问题), the definition a
    # figure is computed by (按台账口径算): the level, body or figure named is the slot
    "层面", "名下", "口径",
    # one quarter or month on its own (二季度单季): the lead computes it from two cumulative figures
    "单季", "单季度", "当季", "单月", "当月",
    # the field a question is about said as an area (文旅康养方向, 这条链上, 商务口, 新能源领域): the chain or
    # line it names is the slot, the area word frames it
    "方向", "领域", "板块", "条线", "条链", "链上", "这块",
    # the whole of what is named (全市整体, 总体上, 整个全市): the place named is the slot
    "整体", "总体", "全体", "整个",
    # the sign of a figure (同比还是负数的): a level of zero, which the comparison reads (comparisons.FELL)
    "负数", "负值",
    # a full level (开工率不是满格的, 百分百完成): the value the ranking shows against each place, not an attribute
    "满格", "满分", "百分百", "满额",
    # a place in an order (垫底的三个, 末位, 榜首): the position a ranking answers, not an attribute
    "垫底", "末位", "末尾", "殿后", "倒数", "靠后", "靠前", "榜首", "头名",
    # the ledger a record is kept in (走访台账上有新记录没, 台账上签了约的): the tool reading it is that ledger
    "台账", "记录", "新记录",
    # the days between two steps (中间隔了几天, 相隔多久): the span the project's record states between its dates
    "间隔", "相隔", "中间", "之间",
    # what was done along with something else (顺带谈了, 顺便看了): how it was done, not an attribute
    "顺带", "顺便", "捎带",
    # how a figure is arrived at, said in speech (到位率算下来多少, 加起来一共): the computation the tool states
    "算下来", "算起来", "加起来", "合起来", "下来",
    # how a gap moved (差距拉大到多少, 缩小了没): the change the two figures show, not an attribute
    "拉大", "扩大", "缩小", "收窄",
    # the figures just named, pointed back to (两者差了多少个点, 二者相比): the comparison asked, not an attribute
    "两者", "二者", "两项", "两个数",
    # the level of a figure (全市总体水平, 平均水平): the figure itself, which the tool states
    "水平",
    # a level set in words (两位数增长: 10% or more), which the ranking's threshold reads
    "两位数",
}
# Question words jieba sometimes tags as nouns (哪几个, 是不是).
ASKING = re.compile(r"哪|几|是不是|是否|什么|怎么|多少|多长|多久|有没有|谁|咋(?!样|么样)|还是")
# Clauses that ask why or how are answered from documents, not by a tool: their words are not checked here.
WHY = why_pattern("依据", "文件", "报告")


# A size class of projects (百亿级, 五亿元以上, 5000万以上): a tool answers it only when it counts that very class.
SIZE_CLASS = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(亿|万)元?\s*(?:级|以上|及以上)")


def size_classes(text: str) -> dict[float, str]:
    """The size classes a text names, by their threshold in 亿元: {100.0: "百亿级", 5.0: "5亿元以上"}."""
    found: dict[float, str] = {}
    for m in SIZE_CLASS.finditer(text):
        number = float(m.group(1)) if m.group(1)[0].isdigit() else chinese_value(m.group(1))
        if number:
            found.setdefault(round(number if m.group(2) == "亿" else number / 10000, 4), m.group(0))
    return found


def asked_terms(parsed: Parsed) -> list[str]:
    """The attribute words of the question's data clauses (in order, without repeats), and the step a time is asked
    of (啥时候开园, 什么时候能试生产: the ledger dates 签约, 开工, 投产, not every step a project takes)."""
    clauses = [c for c in re.split(r"[，,；;？?。！!]", parsed.text) if c.strip() and not WHY.search(c)]
    terms: list[str] = []
    for clause in _asked_clauses(parsed, clauses):
        for word in _clause_terms(parsed, clause):
            if word not in terms:
                terms.append(word)
    for m in WHEN_ASKED.finditer(parsed.text):
        # (拿到手, 提出来, 办完: a one-character verb with its complement names no step)
        step = STEP_COMPLEMENT.sub("", m.group(1))
        if len(step) >= 2 and step not in terms:
            terms.append(step)
    return terms


# A time asked of a step (计划啥时候开园, 什么时候能试生产): the step's own word, up to a particle.
WHEN_ASKED = re.compile(r"(?:啥时候|什么时候|何时|几时|哪天|哪一天)(?:能|会|可以|要|才|就|准备|计划|打算|开始|去|来)?"
                        r"((?:(?![的了吗呢前])[\u4e00-\u9fa5]){2,3}?)(?=[了的吗呢？?，,。！!]|$)")
# A term of three characters or more written in quotes (“招大引强”): one thing named.
QUOTED_TERM = re.compile(r"[“\"]([^”\"]{3,12})[”\"]")
STEP_COMPLEMENT = re.compile(r"(?:[出上下过起进回]来|[出上下进回过]去|到手|完|好|掉)$")


# A tool whose declaration or results speak of places in an order (排名, 名次, 第1名, 排第): it answers 排第几.
RANKS_HELD = re.compile(r"排名|名次|排第|第\s*\d+\s*[名位]")
# A place named as where something came from (从东南亚来的, 来自长三角的资金, 源自港澳的).
# (从别的县流转过来的 names no place: the place is a name, not 别的县, 外地, 哪里)
ORIGIN = re.compile(r"(?:从|来自|源自)((?:(?!的|别|其[他它]|外地|哪|什么|啥)[\u4e00-\u9fa5]){2,5}?)"
                    r"(?:地区|方向|那边|一带)?(?:来|引进|引来|流入|过来)?的")
# Endings of a paper or an amount (许可证, 批复函, 申请表): jieba sometimes reads such a noun as a person's name.
DOCUMENT_NOUN_ENDS = "证书表单函费额"
# What a body's short name (财政, 发改) turns into when it names the body itself (财政局, 发改委), not a thing of it.
# A place in an order (倒数第几, 第3名, 第一): not 第一季度, 第112号, 第二十二条, 第5期 (things with a number).
PLACE_IN_ORDER = re.compile(r"(?:倒数|正数)?第\s*(?:几|\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:名|位)?"
                            r"(?![\d季号批届次期条章款项个年周天月类档])")
BODY_ENDS = re.compile(r"^(?:局|委|厅|部|办|处|科|委员会|部门|系统|口)$")


def _clause_terms(parsed: Parsed, clause: str) -> list[str]:
    # 在各县区中排第几: 中排 is not a thing asked about (jieba reads it as a noun), the place among them is
    clause = re.sub(r"(?:当中|之中|中|里|内)(?=排)", "，", clause)
    # 哪个县报的, 各县区: which county is asked, and the county word must not join the next one (县报 is a newspaper)
    clause = PER_COUNTY.sub("，", clause)
    # 多少天能开工: the unit is the count's (天), not the start of a word (天能 is a company to the tagger)
    clause = re.sub(r"((?:多少|几)\s*个?\s*(?:天|周|次))(?=[\u4e00-\u9fa5])(?!内|以内|之内)", r"\1，", clause)
    # 最长时间没报进展, 多长时间: a length of time, which a tool states in days, not a thing named 时间
    clause = re.sub(r"(?:最|很|多|好|这么|那么)?长(?:一段)?时间", "，", clause)
    # 没标的, 没填的: a column left empty (the filter's), not the noun 标的
    clause = re.sub(r"(?:没有?|未)(?:标注?|填写?)的", "，", clause)
    # a term in quotes (“招大引强”里说的…) is one thing named, not the words the tagger would cut it into (招大)
    # (a short one, “其他”, is a value a column holds, read as the question's other words are)
    quoted = [q for q in QUOTED_TERM.findall(clause) if q not in FRAME_WORDS]
    clause = QUOTED_TERM.sub("，", clause)
    # 排倒数第几, 第3名: the position asked (POSITION_ASKED), which a ranking answers, not a thing named
    terms = quoted + [word for token in _rates_joined(tag(PLACE_IN_ORDER.sub("，", delexicalise(clause, parsed, blank="，"))))
             if (token.flag in ATTRIBUTE_TAGS or token.flag == "nr" and token.word[-1:] in DOCUMENT_NOUN_ENDS)
             and len(word := token.word.strip()) > 1 and word not in FRAME_WORDS
             and not word.startswith("某") and not ASKING.search(word)]
    return _compounds_of_slots(parsed, clause) + terms


def _rates_joined(tokens: list[posseg.pair]) -> list[posseg.pair]:
    """A verb and the 率 after it read as the one noun they name (办结 率 → 办结率, 解决 率 → 解决率): the rate asked,
    which a tool holding only the verb's other figures does not state."""
    out: list[posseg.pair] = []
    for token in tokens:
        if token.word == "率" and out and out[-1].flag in ("v", "vn") and len(out[-1].word) >= 2:
            out[-1] = posseg.pair(out[-1].word + "率", "n")
        else:
            out.append(token)
    return out


def _compounds_of_slots(parsed: Parsed, clause: str) -> list[str]:
    """A noun the question writes as one word around a slot's short name (财政收入 around 财政, the 财政局's): the
    thing asked is the compound, which taking the slot out would hide (收入 alone is no noun)."""
    spans = [span for span, _ in parsed.slots.spans if len(span) >= 2]
    found = []
    for token in tag(clause):
        word = token.word.strip()
        if token.flag not in ATTRIBUTE_TAGS or word in FRAME_WORDS:
            continue
        for span in spans:
            if span in word and span != word and not BODY_ENDS.match(word.replace(span, "", 1)):
                found.append(word)
                break
    return found


def _asked_clauses(parsed: Parsed, clauses: list[str]) -> list[str]:
    """The clauses that say what is asked. In a question of several clauses, one that neither asks (no question
    word) nor names anything the database knows (a place, period, metric, project…) is context — 领导开会时提到…,
    我手头资料不全 — unless the question's only asking is a clause with nothing of its own after it
    (…制造业投资占比，分别是多少)."""
    if len(clauses) < 2:
        return clauses
    # (…这个延期签补充协议了没有: a yes-no question is asked by its end, 了没有, as by 吗)
    asks = [bool(ASKING.search(c) or re.search(r"[吗呢么]\s*$|(?:了没有?|没有|与否|了吗)\s*$", c)) for c in clauses]
    names = [delexicalise(c, parsed) != c for c in clauses]
    empty_ask = [a and not _clause_terms(parsed, c) for a, c in zip(asks, clauses, strict=True)]
    borrow = not any(a and not e for a, e in zip(asks, empty_ask, strict=True))
    kept = [c for i, c in enumerate(clauses)
            if asks[i] or names[i] or borrow and i + 1 < len(clauses) and empty_ask[i + 1]]
    return kept or clauses


@lru_cache(maxsize=256)
def _declared_text(name: str) -> str:
    tool = REGISTRY[name]
    return "\n".join([tool.name, tool.title, tool.description, *tool.examples]).lower()


def _known(word: str, text: str) -> bool:
    if word.lower() in text:
        return True
    # a state said short (融资难 where the tool writes 融资困难, 审批慢 for 审批缓慢): its noun, then the same
    # adjective close after — not any word ending in the same character (制造业 is not 制造产业)
    if len(word) >= 3 and word[-1] in "难慢快高低多少缺贵紧弱差" and re.search(f"{re.escape(word[:-1].lower())}[^，。；、,;\\s]{{1,2}}{re.escape(word[-1].lower())}", text):
        return True
    # a compound the tool's text writes apart (外资企业 → 外资 … 企业): every part must be there
    parts = [p.word for p in tag(word) if len(p.word) > 1]
    return len(parts) > 1 and all(p.lower() in text for p in parts)


def uncovered(parsed: Parsed, tools: list[FigureTool], results: list[BaseModel], synonyms: Synonyms) -> list[str]:
    """The asked-for words that neither the tools' declarations nor their results mention, directly or by a
    synonym (resources/synonyms.yaml: 年度任务 is 年度目标)."""
    # a stage written in the ledger's other words (正在建设, 建设中 for 开工) is the stage slot, not an attribute
    said_stage = [a for a in STAGE_ALIASES if parsed.slots.stage and a in parsed.text]
    terms = [w for w in asked_terms(parsed) if not any(w in alias for alias in said_stage)]
    # a metric the question names (第七届丝博会谈成了多少外资), asked of tools that neither take a metric nor speak of
    # it anywhere: their figures are of something else
    if parsed.metrics and not any("metric" in t.slots.values() for t in tools):
        terms += [w for m in parsed.metrics for w in (m.name, *m.aliases) if w and w in parsed.text][:1]
    if (share := SHARE_OF_CITY.search(parsed.text)) and any(is_city_figure(r) for r in results):
        # a share of the city (占全市的比重, 几成) is worked out from the place's figure and the city's; the words
        # naming the city's whole (全市盘子里, 全市总量中) are the city's figure
        terms = [w for w in terms if not re.fullmatch(r"比重|比例|份额|几成|占比|百分比", w) and w not in share.group(0)]
    if parsed.slots.rate:
        # 5+3链上的占多大比例: the share asked is the project rate the slot took
        terms = [w for w in terms if not re.fullmatch(r"比重|比例|份额|几成|占比|百分比", w)]
    # where the money or the companies came from (从东南亚来的, 来自长三角的资金): a breakdown by origin, which a tool
    # answers only where its results name that place (企业 with their 总部, events held there)
    terms += [m.group(1) for m in ORIGIN.finditer(parsed.text) if m.group(1) not in terms
              and not any(w and w in m.group(1) for r in parsed.regions for w in (r.name, *r.aliases))]
    position = POSITION_ASKED.search(parsed.text) is not None
    if not terms and not position:
        return []
    # tools over the indicator table (a metric slot) hold the same columns (目标, 完成进度, 同比, 排名): one speaks
    # for all, so 内资目标完成进度排第一 is the ranking's question although its declaration does not say 目标
    family = {t.name for t in tools} | ({name for name, t in REGISTRY.items() if "metric" in t.slots.values()}
                                        if any("metric" in t.slots.values() for t in tools) else set())
    text = "\n".join([_declared_text(name) for name in sorted(family)] + [_result_text(r) for r in results]).lower()
    # a phrase of the question whose synonym the tool's text uses covers the words inside it
    said_otherwise = [written for written, others in synonyms.expand(parsed.text)
                      if any(o.lower() in text for o in others)]
    missing = [w for w in terms if not _known(w, text) and not any(w in phrase for phrase in said_otherwise)]
    # a size class the tool neither counts nor filters by (百亿级 of a tool counting 5亿元以上 and 10亿元以上)
    held = set(size_classes(text))
    if parsed.slots.amount is not None and any("amount" in t.slots.values() for t in tools):
        held.add(round(parsed.slots.amount, 4))
    asked = size_classes(" ".join(c for c in re.split(r"[，,；;？?。！!]", parsed.text) if not WHY.search(c)))
    # 年发电量 already missing: 年发电量度数 says it again
    missing += [w for w in unit_uncovered(parsed.text, text) if not any(m in w for m in missing)]
    if position and not RANKS_HELD.search(text) and "名次" not in missing:
        missing.append("名次")  # 在民营500强里排第几名 of a company's card: no tool here ranks anything
    if COST_ASKED.search(parsed.text) and not COST_HELD.search(text) and "费用" not in missing:
        missing.append("费用")  # 活动花了多少钱 asks what was spent, not the amount signed there
    # a place of another jurisdiction named (去宜春叩门招商是谁带队) that no row of the results names: the rows are
    # of other places (its examples naming 深圳 do not make a row of 宜春)
    # (a place a slot took, 总部在西安的, 西安联络处, is what the tool was asked with: its rows are of it)
    rows_text = "\n".join(_result_text(r) for r in results)
    slot_text = said_in_slots(parsed)
    places = gazetteer()
    missing += [p for p in places.find(parsed.text) if not places.related(p, home_city())
                and not any(form in rows_text or form in slot_text for form in places.forms(p)) and p not in missing]
    return missing + [w for value, w in asked.items() if value not in held and w not in missing]


# A count asked in a unit of people, land, weight or energy (新增就业多少人, 占地多少亩, 多少吨标煤, 发电量多少度):
# a tool that never counts in that unit answers another question, however near its examples are.
ASKED_UNIT = re.compile(r"(?<![第前后])(?:多少|几)\s*个?\s*(人(?!民)|名|亩|吨|度(?!\d)|户|平方米|千瓦)"  # 第几名 is a place
                        # people counted by what they are (招到了多少技术工人, 几个工作人员): a count of 人
                        r"|(?<![第前后])(?:多少|几)\s*(?:个|名)?\s*([\u4e00-\u9fff]{0,4}?(?:工人|人员|员工|职工|干部))")


# Money spent asked (花了多少钱, 经费, 费用, 成本, 预算): answered only by a tool holding what was spent.
COST_HELD = re.compile(r"花费|开支|经费|费用|成本|预算|开销")
COST_ASKED = re.compile(rf"花了?多少|{COST_HELD.pattern}")


def unit_uncovered(question: str, text: str) -> list[str]:
    """The count a question asks for (就业人数 in 新增就业多少人) when the tools' `text` neither counts in the asked
    unit (3人, 人数) nor declares such a question (多少人): [] when it does or no such count is asked."""
    m = ASKED_UNIT.search(question)
    if m is None:
        return []
    unit = m.group(1) or "人"
    if re.search(rf"\d\s*{unit}|{unit}数|(?:多少|几)个?{unit}", text):
        return []
    if m.group(2):
        return [m.group(2) + "数"]  # 技术工人数
    # named as the count of its unit (就业人数): a name no passage need write, so documents are still searched
    # on the question's other words, not required to say 安排 of 安排几个人
    before = [t.word for t in tag(question[: m.start()]) if len(t.word.strip()) > 1]
    return [(before[-1] if before else "") + ("人" if unit == "名" else unit) + "数"]


def _result_text(result: BaseModel) -> str:
    """What a result says and can hold: its summary, its figures' labels, its fields' titles and descriptions."""
    fields = type(result).model_fields
    labels = [str(getattr(f, "label", "")) for f in getattr(result, "figures", None) or []]
    return " ".join([str(getattr(result, "summary", "")), *labels,
                     *(f"{f.title or ''} {f.description or ''}" for f in fields.values())])


# How a question asks for the value of the word before it (平均年龄多大, 营收是多少, 叫什么名字).
_ASKED_AFTER = r"(?:都|分别|各|又|具体|到底)?(?:是|有|为|在|大概|大约|一共|总共|约|能有)?(?:多少|多大|多高|多长|多久|几|是谁|哪)"
_ASKED_BEFORE = r"(?:什么|啥|哪个|哪些)"


def asked_directly(word: str, text: str) -> bool:
    """Whether `word` is the very thing the question asks the value of: right before its question word
    (平均年龄多大) or right after 什么 (叫什么名字) — not a word of its framing (表里, 超额完成没有)."""
    w = re.escape(word)
    return re.search(w + _ASKED_AFTER, text) is not None or re.search(_ASKED_BEFORE + w, text) is not None



def asked_of_something(word: str, text: str) -> bool:
    """Whether `word` is a property asked of a thing named before it (通威集团的注册地址在哪, 展馆的面积多大) — not the
    framing of a question about a rule or a term (按什么节奏, 会扣多少分, 是什么意思)."""
    return re.search("的" + re.escape(word) + _ASKED_AFTER, text) is not None
