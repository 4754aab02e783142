"""Slot filling from the database's own vocabulary: project and enterprise names, departments and their
aliases, chains, event cities, stages, statuses, day counts and amount thresholds. Pure once the names are
loaded; `Slots.placeholders` gives the spans the router replaces before embedding."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

import jieba.posseg as posseg
from sqlalchemy import select

from assistant.db.models import Contact, Enterprise, Event, IndustryChain, Office, Problem, Project
from assistant.db.records import PROJECT_SPECS
from assistant.db.reference import DEPARTMENT_ALIASES, PROJECT_STAGES, STAGE_ALIASES
from assistant.db.session import FigureStore
from assistant.db.vocab import normalise_name
from assistant.index.places import gazetteer, home_city, within
from assistant.index.tokenize import get_tokenizer
from assistant.numerals import chinese_value
from assistant.tools.assessment import county_classes
from assistant.tools.county_totals import FUNDS_WORDS, PER_COUNTY, SUM_WORDS, asked_amounts, asked_total
from assistant.tools.directory import core_name, trade_names
from assistant.tools.group_totals import GROUP_COLUMNS, asked_group, group_members
from assistant.tools.ledger import normalise_code
from assistant.tools.lifecycle import issue_dates
from assistant.tools.projects import (
    DATE_ORDER_COLUMNS,
    FLAG_COLUMNS,
    LEDGER_COLUMNS,
    MATCH_COLUMNS,
    SPAN_ORDER_COLUMNS,
    UNFILLED,
    WHO_COLUMNS,
    match_values,
)

_CN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "半": 0.5}
# a day count (30天, 两个月, 半年): not a year (2023年), a part of one (上半年, 前8个月) or a month of the year (7月底)
# …nor a year written short (23年以来, 24年底: 15–99 before 年 is a year, not a span of years), nor the end of a range of
# months (1到3月 is a month)
_DAYS = re.compile(r"(?<![\d上下前月])(?<![\d一二三四五六七八九十]到)(?<![\d一二三四五六七八九十][至\-—～~])(\d{1,3}|[一两二三四五六七八九十半])\s*多?\s*(天|日|周|星期|个多?月|(?<=[两半])月(?![底末份初中上下旬\d日号])|"
                   r"(?<!(?<!\d)(?:1[5-9]|[2-9]\d))年)")
# A day count as an upper bound (不满两个月, 不到30天, 还没满一个月)
_WITHIN_DAYS = re.compile(r"(?:不满|不到|未满|没满|不足|少于|还没到)\s*" + _DAYS.pattern)
# A lower bound (5亿以上, 10个亿以上, 超过10亿, 过十个亿, 不低于5亿元)
_YI = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*个?\s*亿(?:元)?"
_AMOUNT = re.compile(rf"(?<![不未超])(?:超过|超出|超|过|大于|高于|多于|不低于|不少于|至少){_YI}|{_YI}(?:以上|及以上|多|超)")
# An upper bound (不到2亿, 低于3亿元, 1亿元以下, 小于5亿): below it, the bound itself included only where said (以下, 以内, 不超过)
_AMOUNT_BELOW = re.compile(r"(?:(?<!不)(不到|不足|低于|小于|少于|不超过|未超过|不满)\s*(\d+(?:\.\d+)?)\s*亿(?:元)?)|"
                           r"(?:(\d+(?:\.\d+)?)\s*亿(?:元)?\s*(以下|及以下|以内|之内))")
# X项目 names a project unless 项目 starts a compound (项目管家, 项目库, 项目开工率); 项目开工了吗 asks about it.
_PROJECT_MENTION = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9（）()]{2,24}?)项目"
                              r"(?!管家|库|台账|清单|建设|谋划|储备|包装|推介|路演|招商|服务|专班|信息|线索|资金|"
                              r"(?:落地|签约|开工)(?!了|没|吗|呢|时间|日期|情况|进展))")
_NOT_A_PROJECT = re.compile(r"^(?:哪些|什么|签约|在谈|开工|投产|重点|外资|内资|新签约|这个|那个|该|有|的|所有|全部|"
                            r"列出|查|查询|看看|全市|各县区|.*(?:县|区|市|链)的?)$")
# Words that make "X项目" a description (一季度签约项目, 汉阴县的外资项目), not a project's name.
_GENERIC_IN_NAME = re.compile(r"季度|年|月|周|签约|开工|投产|在谈|线索|洽谈|哪|什么|多少|几|全市|各|县|区|市|外资|内资|重点|"
                              r"新|的|这|那|有|所有|列|查|个|亿|产业链|落地|招商|引进|在建|续建|储备|跟踪|问题|台账|账上|库里|库中|盘子|名下|手上|介绍|一下|说|讲|了解|关于|请问|帮|我们|你们|哪")
# Parts of speech a name never holds: prepositions (对), conjunctions (但), particles (了), pronouns (咱们) and
# adverbs (没, 尽力) make the words before 项目 a clause (干部尽力了但没招来项目, 汉中对承接转移项目), not a name.
_CLAUSE_FLAGS = ("p", "c", "u", "r", "d")
# How a question says a step or a column is not there yet (还没签约, 尚未开工, 没配管家).
_NOT_YET = r"(?:还没有?|尚未|没有?|未)"
# (…or a part of the list just given, 这里面还没签约的是哪几个: the rows of that list, projects unless it says companies)
_OF_PROJECTS = re.compile(r"项目|台账|[那这]几个|总投资|到位资金|投资额|"
                          r"^(?:其中|这其中|这里面|这里头|里面|里头|这些里面?|这当中)(?!.*(?:企业|公司|客商))")
# The stages and every way the ledger's vocabulary writes them (在建, 建设中 → 开工), and two spoken ones
_STAGE_WORDS = {**{stage: stage for stage in PROJECT_STAGES}, **STAGE_ALIASES, "动工": "开工", "竣工": "投产"}
_STATUS_WORDS = (("还在跟踪", "跟踪"), ("在跟踪", "跟踪"), ("在跟的", "跟踪"), ("跟踪中", "跟踪"), ("对接中", "跟踪"), ("储备", "跟踪"),
                 ("已对接", "已对接"), ("已签约", "已签约"), ("已经签约", "已签约"), ("签约了", "已签约"), ("签了约", "已签约"),
                 ("签下来", "已签约"), ("签下了", "已签约"))
_CATEGORY_WORDS = ("民营500强", "中国500强", "世界500强", "500强", "行业领军")
# A category word names companies when a company noun follows it (外资企业, 其他类), or when it can name nothing else
_COMPANY_NOUN = re.compile(r"^的?(?:企业|公司|集团|客商|类)")
# Who follows an enterprise (跟踪责任单位): 深圳办负责跟踪的企业, 国轩高科是哪个单位在跟
_OWNER_WORDS = re.compile(r"负责跟踪|跟踪责任|负责对接的企业|在跟(?!踪)|跟踪的(?:企业|客商|目标企业)")
# What the visit records hold (走访, 叩门, 拜访…): a person named beside these is who made the visits
_VISIT_WORDS = re.compile(r"走访|叩门|拜访|对接|来访|会谈|去过|跑了|跑过|见了|见过|联系过")
# Who brought a project in (首谈单位): 深圳联络处首谈的项目, 北京联络处牵线引进的项目.
_SOURCE_WORDS = re.compile(r"首谈|牵线|引荐|推荐引进|来源单位|项目来源")
# The agreed start date already passed (过了约定开工期限, 逾期未开工), not coming up (快到开工期限).
_PROBLEM_OVERDUE = re.compile(r"超期|逾期|过期|超时|(?:过了|超过|超出|已过|超了)(?:办结)?(?:时限|期限)")
_DRAGGED = re.compile(r"拖(?:着|了|得)")  # 拖着没办结: kept waiting past when it was due
_OVERDUE = re.compile(r"(?:过了|超过|超出|已过|过期|超期|晚于).{0,4}开工(?:期限|时间|日期|时限)|逾期.{0,2}(?:未|没|不)开工"
                      r"|(?:没|未)按(?:约定|合同)?(?:的)?(?:期限|时间|日期)开工"
                      r"|开工(?:期限|时间|日期|时限).{0,3}(?:已过|过了|超了|已到期|过期)")
# A change of completion between two periods (进度提升最多, 名次变化), not a figure or a ranking at one period;
# 同比 asks a change on last year's same period, which the indicator tools hold.
_CHANGE = re.compile(r"(?:进度|完成率|完成情况|名次|排名).{0,6}(?:提升|提高|下降|变化|进步|退步|上升|回落|加快|放缓)"
                     r"|(?:提升|提高|进步|退步|上升|回落).{0,4}(?:进度|完成率|名次)")
# The four project rates of the county ranking, by the words staff use for them
_RATE_WORDS = {"资金到位率": ("资金到位率", "到位率"), "开工率": ("开工率",), "合同履约率": ("合同履约率", "履约率"),
               "涉链占比": ("涉链占比", "涉链项目占比", "涉链率", "重点产业链项目占比")}
# The share of projects on the key chains asked in words (5+3链上的占多大比例, 重点链上的占几成): 涉链占比.
_CHAIN_SHARE = re.compile(r"(?:5\s*\+\s*3|重点(?:产业)?)[”\"]?(?:产业)?链上的?(?:项目)?(?:所)?占(?:的)?(?:多大|多少|几成|比例|比重|百分之)")
# The assessment's measure of funds asked (新建项目当年资金到位率, 按考核口径算): new projects' funds of the year.
_NEW_FUNDS = re.compile(r"新建项目|当年到位|当年资金|考核(?:那个|的)?口径")
# A record's 编号 as ledgers write them (WT-2023-003, WT2023003, ZS-23-15): letters, then digits in groups.
CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,6}\s*(?:[-_－—]?\s*\d{2,4}(?:\s*[-_－—]\s*\d{1,5})+|\d{6,})(?![\d])")


# Which project is asked for (哪个项目, 哪几个项目, 里头哪个): one of the projects listed, not their total.
_WHICH_PROJECT = re.compile(r"哪(?:个|些|几个|一个)(?:项目)?|什么项目|啥项目")
# The agreed start asked in words (合同约定它最晚啥时候开工, 约定最迟哪天动工): the 约定开工期限 column.
_DEADLINE_ASKED = re.compile(r"约定[^。？?]{0,16}最(?:晚|迟)[^，。？?]{0,6}(?:开工|动工)|最(?:晚|迟)(?:要|得|该|须|必须)?[^，。？?]{0,4}(?:开工|动工)的?(?:期限|日子|时间)")
# The money still to come, asked at its largest (还差钱最多, 资金缺口最大, 总投资减掉已到位的…差得最多).
_GAP = re.compile(r"(?:差钱|缺口|差(?:的|得)?(?:资金|钱)?|没到位的(?:钱|资金)?)[^，。？?]{0,4}?最(?:多|大)|(?:减|扣)(?:掉|去|除)[^，。？?]{0,12}差")
# The days between two steps set as a threshold (签约后超过45天才开工的, 开工不到半年就投产的): the projects whose span
# is beyond it, each with both dates. (签约超过60天还没开工: not a span, a step not yet taken — the lifecycle window.)
_SPAN_BOUND = re.compile(r"(签约|签|开工)(?:后|以后|之后)?\s*(超过|多于|过了|满了?|不到|不满|少于|未满)\s*"
                         r"(\d+|[一二两三四五六七八九十]+)\s*(天|日|个月|月)\s*(?:以上|以后|之后)?\s*(?:才|就|才算|就已经|就已)\s*(开工|投产)")
# A step asked first or last of (哪个开工最晚, 哪个先签的约, 最早投产的是哪个): the list's order by that step's date.
_STEPS = {"签约": "signed", "签": "signed", "开工": "started", "投产": "operating"}
_EARLY, _LATE = r"最早|最先|先|早", r"最晚|最迟|最后"
# Two steps and the span between them asked at an end (从开工到投产最快, 签约后多久开工的最慢, 签约到开工用时最长).
# Two steps and the mean span between them asked (签约到开工平均用了多少天, 平均从开工到投产要多久).
_SPAN_AVERAGE = re.compile(r"(签约|签|开工)(?:后|以后)?\s*(?:到|至)\s*(?:才)?(开工|投产)[^，。？?；]{0,8}?平均|"
                           r"平均[^，。？?；]{0,6}?(签约|签|开工)(?:后|以后)?\s*(?:到|至)\s*(?:才)?(开工|投产)|"
                           r"(签约|签|开工)(?:后|以后)平均[^，。？?；]{0,6}?(开工|投产)")
_SPAN_ORDER = re.compile(r"(签约|签|开工)(?:后|以后)?\s*(?:到|至|多久|多长时间)+\s*(?:才)?(开工|投产)[^，。？?；]{0,6}?最(快|短|慢|长|久|少|多)")
_DATE_ORDER = re.compile(rf"(?:({_EARLY})|({_LATE}))(?:的)?(签约|签|开工|投产)|(签约|开工|投产)(?:得|的)?(?:({_EARLY})|({_LATE}))")




def _with_column(columns: list[str] | None, column: str) -> list[str]:
    """The columns shown beside each listed project, with `column` after them unless already there."""
    return [*(columns or []), *([] if column in (columns or []) else [column])]


def _with_span_columns(columns: list[str] | None, order: str) -> list[str]:
    """The columns with the two dates a span order measures between (签约日期, 开工日期)."""
    for column in SPAN_ORDER_COLUMNS[order]:
        columns = _with_column(columns, column)
    return columns or []


def _date_order(text: str) -> tuple[str, str] | None:
    """(order, the date column shown) when the question asks which project reached a step first or last."""
    if not _WHICH_PROJECT.search(text) and "谁" not in text:
        return None
    m = _DATE_ORDER.search(text)
    if m is None:
        return None
    step = m.group(3) or m.group(4)
    latest = bool(m.group(2) or m.group(6))
    order = f"{_STEPS[step]}_{'last' if latest else 'first'}"
    return order, DATE_ORDER_COLUMNS[order]
# Companies never visited (一次走访记录都没有, 还没走访过, 从没对接过).
_UNVISITED = re.compile(r"(?:没有?|未|从没|从未|一次都没有?|一次也没有?)\S{0,4}(?:走访|对接|叩门|拜访)|"
                        r"(?:走访|对接|叩门|拜访)(?:的)?记录(?:都|也|一次都|一次也)?(?:没有|为零|是零)|零走访")
# Events asked of (活动, 推介会, 办了几场): where the home city names the place they were held.
_EVENT_ASK = re.compile(r"活动|推介|洽谈会|博览会|招商会|[办开搞]了?几场|举办|签约仪式")
# A rule about a rate asked (低于多少不得分, 要求多少): the documents' answer, not the rate of some projects
_RULE_ASKED = re.compile(r"低于多少|高于多少|不得分|扣分|得分|要求|规定|标准|门槛|怎么算|如何计算")
# A body the database keeps a table of, named by its kind's word (大湾区联络处, 航空航天产业链, 比亚迪公司): the name
# before the word must resolve against the table, else the question is about something the data does not hold.
_OFFICE_MENTION = re.compile(r"(?:招商)?(?:联络处|办事处)")
# words before 联络处 that pick no particular office (驻外联络处, 四个联络处, 哪个联络处, 各联络处), nor a period
# the question is about (一季度联络处盯着的…, 上半年联络处报了…)
_NO_NAME = re.compile(r"^(?:驻)?(?:外|驻外|境外|各|各个|每个|哪个|哪些|哪|这个|那个|这些|那些|该|本|我们|我市|市|全市|所有|全部|"
                      r"[一二两三四五六七八九十几\d]+个|[\u4e00-\u9fa5]*[的了]|"
                      r"[\u4e00-\u9fa5\d\-—]*(?:季度|半年|年|月份?|周|礼拜))?(?:招商)?$")
_COMPANY_WORDS = ("有限公司", "股份公司", "公司", "集团")
# words that make a company word generic (这家公司, 外资企业集团, 哪家公司): no name is given
_NO_COMPANY_NAME = re.compile(r"哪|这|那|该|什么|几|各|外资|内资|港资|台资|民营|国有|国企|央企|企业|本地|外地|中介|第三方|"
                              r"园区|运营|投资|一家|其他|某|咱|我们|你们|他们|别的|母|子|分")
_NO_CHAIN_NAME = re.compile(r"重点|主导|新兴|各|哪|这|那|每|几|条|全|整|上下游|涉|本|该|所有|相关|一|[\d+]")
# A question that lists or counts (哪些, 几个, 名单): what a ledger column's value can filter
_LIST_ASK = re.compile(r"哪些|哪几|哪个|哪一个|几个|多少个|名单|清单|列出|列一下|都有|有啥|啥项目|什么项目|"
                       # whether there are any (有续建的没, 有没有外资的, 有A级的吗): the list, empty or not
                       r"有没有|是否有|有无|有[^，。？?]{1,8}的(?:没有?|吗|么)")
# Words of a question about the problem ledger (问题, 诉求)
_PROBLEM_WORDS = re.compile(r"问题|诉求|困难")
# The issue before the latest, said without its date (上期台账, 上一期).
_PREVIOUS_ISSUE = re.compile(r"上一?期(?!间)")
# The latest issue said beside a past one, and a change asked between them (现在多了几个, 跟现在比少了哪个).
_NOW = re.compile(r"现在|目前|如今|当前|这期|本期|最新一期|眼下")
_THEN_NOW = re.compile(r"比|多了|少了|多出|少的|多的|变|增加|减少|新增|差|现在(?:有|是|又)?(?:多少|几)")
# the one waiting longest (挂得最久, 拖得时间最长, 最早提出的): a problem's wait, counted from when it was raised
_OLDEST = re.compile(r"(?:挂|拖|等|压|搁|卡|放)(?:得|了)?(?:最久|最长|时间最长|最长时间)|提(?:出|的)?得?最早|最早提(?:出|的)")
# How or why something is done (县级解决不了的问题怎么办): a rule the documents state, not a list of the ledger
_HOW = re.compile(r"怎么办|如何|怎样|怎么处理|为什么|为何|规定|机制|程序|流程")
# The counties' own rows added up (13个县区加起来), as opposed to the 全市 row of the report.
_PARTS = re.compile(r"(?:各|\d+\s*个|十[一二三]?个|所有|全部)(?:县区|县市区|区县|县（市、区）|地区|县)"
                    rf".{{0,12}}(?:{SUM_WORDS})")


@dataclass
class SlotVocabulary:
    projects: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    chains: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    event_cities: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)  # the problem ledger's 协调层级 values
    categories: list[str] = field(default_factory=list)  # the enterprise table's 类别 values (外资, 行业领军)
    county_classes: list[str] = field(default_factory=list)  # the 考核 scheme's county classes (一类, 二类)
    offices: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (name, city, aliases)
    # the values of the project ledger's columns a list can be filtered by (项目管家 → 张某, 李某…; 新建/续建 → 续建)
    ledger_values: dict[str, list[str]] = field(default_factory=dict)
    visitors: list[str] = field(default_factory=list)  # the people of the 走访 / 叩门 records (走访人员)
    # the people the tables name (联络处负责人, 走访人员): a question opening with one is about a known person
    people: list[str] = field(default_factory=list)
    headquarters: list[str] = field(default_factory=list)  # the enterprise table's 总部所在地 values
    event_titles: list[str] = field(default_factory=list)  # the events' names (第七届丝博会…): which editions are held
    event_kinds: list[str] = field(default_factory=list)  # the events' 类型 values (推介会, 考察, 展会)
    # the units the tables name as making visits (对接单位) or following enterprises (跟踪责任单位): 市招商局外资科…
    units: list[str] = field(default_factory=list)
    # the dates of the ledger issues imported, per ledger (projects → 6月30日, 7月7日…): which 那期台账 are held
    issues: dict[str, list[date]] = field(default_factory=dict)
    problem_codes: list[str] = field(default_factory=list)  # the problem ledger's 编号 (WT-2023-003)
    problem_texts: list[str] = field(default_factory=list)  # the problem ledger's 问题描述 (用地报批手续尚未完成…)
    # the visit records' 下一步 and 对接成果 texts (推动与高新区对接, 企业来安实地考察)
    contact_texts: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: FigureStore | None) -> SlotVocabulary:
        if store is None:
            return cls()
        with store.session() as session:
            return cls(
                ledger_values=match_values(session),
                projects=list(session.scalars(select(Project.name))),
                enterprises=list(session.scalars(select(Enterprise.name))),
                headquarters=sorted({h for h in session.scalars(select(Enterprise.headquarters)) if h}),
                event_titles=sorted(set(session.scalars(select(Event.title)))),
                event_kinds=sorted({k for k in session.scalars(select(Event.category)) if k}),
                departments=sorted(set(session.scalars(select(Problem.department)))),
                chains=[(c.name, tuple(c.aliases or [])) for c in session.scalars(select(IndustryChain))],
                # 驻外招商联络处 cities too: 驻深圳联络处 fills the same city slot that the contacts tool reads
                event_cities=sorted(set(session.scalars(select(Event.city))) | set(session.scalars(select(Office.city)))),
                escalations=sorted({e for e in session.scalars(select(Problem.escalation)) if e}),
                county_classes=county_classes(),
                offices=[(o.name, o.city, tuple(o.aliases or [])) for o in session.scalars(select(Office))],
                people=sorted({name.strip() for text in [*session.scalars(select(Office.head)),
                                                          *session.scalars(select(Contact.visitors))] if text
                               for name in re.split(r"[、,，/;；\s]", text) if name.strip()}),
                categories=sorted({c.strip() for cats in session.scalars(select(Enterprise.category)) if cats
                                   for c in re.split(r"[、,，/]", cats) if c.strip()}),
                visitors=sorted({v.strip() for people in session.scalars(select(Contact.visitors)) if people
                                 for v in re.split(r"[、,，/；;\s]", people) if len(v.strip()) >= 2}),
                issues=issue_dates(session),
                problem_codes=sorted(session.scalars(select(Problem.code))),
                problem_texts=sorted({d for d in session.scalars(select(Problem.description)) if d}),
                contact_texts={"下一步": sorted({t for t in session.scalars(select(Contact.next_step)) if t}),
                               "对接成果": sorted({t for t in session.scalars(select(Contact.outcome)) if t})},
                units=sorted({u.strip() for u in [*session.scalars(select(Contact.unit)),
                                                   *session.scalars(select(Enterprise.owner))] if u and u.strip()}),
            )

    def words(self) -> list[str]:
        """Names jieba should keep whole."""
        return ([core_name(p) for p in self.projects] + [core_name(e, "enterprise") for e in self.enterprises]
                + list(self.trade_names))

    @cached_property
    def trade_names(self) -> dict[str, str]:
        """The enterprises' trade names (格力钛 → 格力钛新能源), worked out once per vocabulary, not per question."""
        return trade_names(self.enterprises)


# A section of a bureau named in a question (投资促进科, 外资科): a short name ending in 科 that is no other word.
_SECTION = re.compile(r"([\u4e00-\u9fff]{2,6}(?<![高中华])科)(?![技学研普室])")  # …高科 is a company
# Where a unit's own name starts inside its full name: after the body it belongs to (市招商局外资科 → 外资科).
_UNIT_BODY = re.compile(r"^.*(?:局|委|办|政府|厅)(?=.{3,}$)")


def unit_named(text: str, units: list[str]) -> str | None:
    """The unit of the tables (对接单位, 跟踪责任单位) a question names, by its full name or by its own name
    without the body it belongs to (外资科 for 市招商局外资科) when no other unit has that name; else None."""
    for unit in sorted(units, key=len, reverse=True):
        if unit in text:
            return unit
    tails: dict[str, list[str]] = {}
    for unit in units:
        tail = _UNIT_BODY.sub("", unit)
        if tail != unit:
            tails.setdefault(tail, []).append(unit)
    return next((owners[0] for tail, owners in sorted(tails.items(), key=lambda t: -len(t[0]))
                 if len(owners) == 1 and tail in text), None)


@dataclass
class Slots:
    project: str | None = None
    unknown_project: str | None = None
    enterprise: str | None = None
    department: str | None = None
    departments: list[str] | None = None  # several departments named (自然资源局和生态环境局): each one, in order
    problem_about: list[str] | None = None  # words of the problems' descriptions the question names (用地, 环评)
    contact_about: list[str] | None = None  # words of the visits' 下一步 / 对接成果 the question names (高新区, 考察)
    contact_field: str | None = None  # which of the two: "下一步", "对接成果" (None: either)
    unknown_department: str | None = None
    chain: str | None = None
    city: str | None = None
    cities: list[str] | None = None  # several offices named by name (北京办和上海办): each one's city, in order
    stage: str | None = None
    status: str | None = None
    category: str | None = None
    days: int | None = None
    date_from: date | None = None  # a window (2023年11月签约, 二季度新签约), not a cumulative period
    date_to: date | None = None
    week: bool | None = None  # the window is a week said relatively (本周, 上周), whatever happened in it
    order: str | None = None
    solved: bool | None = None  # asks for problems already solved (已解决、办结), not open ones
    amount: float | None = None
    amount_below: str | None = None  # an upper bound of 总投资 in 亿元, "2" (below 2) or "1（含）" (1 or less)
    foreign: bool | None = None
    no_funds: bool | None = None  # 一分钱还没到位: signed projects with no funds arrived
    with_problems: bool | None = None  # projects with an unsolved problem in the problem ledger (还挂着没办完问题的项目)
    source: str | None = None  # the unit that first talked to the investor (首谈单位): an office's city or name
    overdue: bool | None = None  # asks for projects past their agreed start date
    parts: bool | None = None  # asks for the counties' values added up, not the 全市 row
    change: bool | None = None  # asks how completion changed between periods
    owner: str | None = None  # the unit following an enterprise (跟踪责任单位): an office's city or name
    milestone: str | None = None  # the lifecycle step asked of a window (开工, 投产, 线索, 在谈), not 签约
    moved: bool | None = None  # asks what moved (进展, 推进, 动态, 变化), not what was added or what stands
    until: date | None = None  # a count up to a month's end (截至6月底开工的项目)
    key_chain: bool | None = None  # projects on a “5+3” key chain (True) or on none of them (不在5+3产业链上: False)
    # the day count and the ledger issue of a question about the problem ledger (提出超过100天的问题, 7月14号那期问题
    # 台账): a window over projects (签约满60天还没开工) is not one over problems
    problem_days: int | None = None
    problem_overdue: bool | None = None  # of a past issue of the problem ledger, only those past their 办结时限
    oldest: bool | None = None  # the problem waiting longest asked (挂得最久的是哪个, 最早提出的): oldest first
    vs_now: bool | None = None  # a past issue of a ledger set against the latest (6月底那期有几个？现在多少个)
    problem_ledger_on: date | None = None
    waited_since: str | None = None  # a problem's days counted from its newest 办理进展 (超过10天没更新进展 → 进展)
    unvisited: bool | None = None  # companies no visit record names (哪几家一次走访记录都没有)
    problem_code: str | None = None  # a problem of the ledger named by its 编号 (WT-2023-003)
    rated: dict[str, str] | None = None  # ledger column → value of the projects a rate is asked of (分管卫健的)
    rated_key_chain: bool | None = None  # key_chain, of the projects a rate is asked of (链上但不算制造业的…开工率)
    rated_stage: str | None = None  # the stage of the projects a rate is asked of (在建项目的资金到位率), not 签约
    stuck_in: str | None = None  # the stage projects stay in past a time (在谈满一个月还没签下来 → 在谈)
    days_within: bool | None = None  # the day count is an upper bound (签约还不满两个月、没开工的)
    span_over: int | None = None  # the days between two steps above which projects are listed (签约后超过45天才开工的)
    span_under: int | None = None  # …below which (签约不到30天就开工的)
    ledger_on: date | None = None  # the ledger of a past date asked about (6月30日那期台账): its projects as it recorded them
    unit: str | None = None  # a unit of the bureau whose visits are asked about (外资科对接过哪些企业): a 对接单位
    visitor: str | None = None  # who made the visits asked about (黄某走访了哪些企业): a 走访人员 of the contact records
    rate: str | None = None  # a project rate asked of the counties (开工率, 资金到位率, 合同履约率, 涉链占比)
    total: str | None = None  # a ledger total asked (项目个数, 总投资, 到位资金, 当年到位资金), not a rate
    per_county: bool | None = None  # the counties are asked side by side (哪个县区, 各县区)
    group: str | None = None  # another ledger column set side by side (哪个项目管家, 各条产业链): totals per value
    among: str | None = None  # the kind of the group's members compared (五个联络处里哪家首谈的最多: offices only)
    members: list[str] | None = None  # the groups the question lists to compare (文旅康养、生物医药这两条链各多少)
    hq: str | None = None  # where the companies asked about have their headquarters (总部在深圳的企业)
    event: str | None = None  # the event asked about, by the part of its title the question names (丝博会)
    across_issues: bool | None = None  # a change across the ledger's issues asked (哪一期转的, 这几期涨了多少)
    every_issue: bool | None = None  # each issue asked, not two (哪一期开始过六成的, 哪一周涨得最猛, 各期分别多少)
    leaders: bool | None = None  # who led or attended asked (哪几位市领导带队去的, 谁出席的)
    per_group: str | None = None  # rows per different value asked (每个项目管家平均管几个项目): the column's noun
    distinct: str | None = None  # how many different ones among the rows asked (横跨几条链, 分布在几个县区): the noun
    past_due: bool | None = None  # problems past their 办结时限 asked (逾期、超期、拖着没办): not merely 还没办结
    mean: bool | None = None  # a mean per thing asked (平均每个到位了多少, 平均一个项目多大, 平均一场签多少)
    due_from: date | None = None  # a window ahead that deadlines fall in (下个月到期, 本周要办结)
    due_to: date | None = None
    county_class: str | None = None  # a class of counties in the 考核 scheme (三类县区)
    escalation: str | None = None  # a 协调层级 of the problem ledger (市级联席会议), asked of problems
    columns: list[str] | None = None  # ledger columns asked of each listed project (项目管家, 约定开工期限), in text order
    amounts: list[str] | None = None  # the ledger's amount columns a total asks (到位了多少: 到位资金), in text order
    matches: dict[str, str] | None = None  # ledger column → the value the listed projects have (项目管家: 张某)
    # values of a who-column named without the column (那李某呢): a follow-up puts one in place of the previous value
    mentioned: dict[str, str] | None = None
    spans: list[tuple[str, str]] = field(default_factory=list)  # (text, placeholder)
    # bodies the question names that the database's tables do not hold: (kind, the name as written), e.g.
    # ("联络处", "大湾区联络处"); a tool answering without them would answer for every office, chain or company
    unknown: list[tuple[str, str]] = field(default_factory=list)


# A department's bare short name (财政, 交通, 环保) is the sector itself when a term goes on from it (财政收入, 交通运输
# 投资, 环保产业): only a body's name (财政局, 发改委) or the bare name used alone names the department.
_BODY_ENDS = r"(?:局|委|厅|办|会|公司)"
_BODY_SUFFIX = re.compile(rf"{_BODY_ENDS}$")
# A question about the problem ledger's entries (这类问题, 企业诉求, 卡在哪): the words its descriptions write pick them.
_PROBLEMS_ASKED = re.compile(rf"{_PROBLEM_WORDS.pattern}|堵点|卡点|难点|瓶颈")
# Words of a question that say what kind of thing it asks, not what the problems are about.
# A visit record's column named as where something is said (下一步里提到, 对接成果写的)
_CONTACT_FIELD = re.compile(r"(下一步|对接成果|成果|结果)(?:安排|计划|打算)?(?:里头?|中|上|栏)?[，,]?\s*(?:说|提到|写|讲|是|有|要)")
# Words every visit record's columns may use, which pick none of them (对接, 企业, 安排)
_NOT_CONTACT = frozenset({"对接", "企业", "安排", "推动", "走访", "记录", "下一步", "哪家", "哪几家", "几家", "项目", "提到",
                          "说要", "要跟", "一下"})
_NOT_ABOUT = frozenset({"问题", "项目", "台账", "企业", "诉求", "困难", "情况", "进展", "状态", "部门", "单位", "协调",
                        "解决", "办结", "推进", "落实", "影响", "尚未", "完成", "需要", "滞后", "没有", "哪些", "什么"})


def described_problems(text: str, descriptions: list[str], projects: list[str]) -> list[str]:
    """The question's words (two characters or more) that some problem's description writes (用地, 环评, 供电): what
    the problems asked about are about, in the question's order — not words of a project's name (康养, 物流), which
    name the project whose problems are asked."""
    words = [w for w in get_tokenizer().lcut(text) if len(w) >= 2 and w not in _NOT_ABOUT
             and re.fullmatch(r"[\u4e00-\u9fff]+", w) and not any(w in p for p in projects)]
    return list(dict.fromkeys(w for w in words if any(w in d for d in descriptions)))


# Two bodies joined in one phrase (自然资源局和生态环境局, 发改委、工信局): each is asked about.
_JOINED_BODIES = re.compile(rf"{_BODY_ENDS}(?:和|与|跟|及|以及|、|还有)")
_SECTOR_TERM = re.compile(r"收入|支出|资金|预算|补助|补贴|投入|增长|增速|设施|基础|运输|项目|产业|企业|工业|经济|政策|保障|体制|"
                          r"事权|总量|规模|能力|水平|建设|领域|行业|服务业|装备|目标|任务|指标")


def _number(text: str) -> float:
    return float(text) if text[0].isdigit() else float(_CN_NUM.get(text, 1))


def _days(text: str, bare: bool = False) -> int | None:
    """A day count the question puts as a threshold (超过30天, 20天没更新, 两个月以上); with `bare`, any day count
    (那60天呢, a follow-up changing the threshold asked before)."""
    m = _DAYS.search(text)
    if not m or not bare and not re.search(r"超过|以上|多于|满|还没|没|无|未|仍|迟迟|已经|了|以?内(?!资)|不到|不足|少于", text):
        return None
    n = _number(m.group(1))
    unit = m.group(2).replace("多", "")  # 一个多月: at least the month
    factor = {"天": 1, "日": 1, "周": 7, "星期": 7, "个月": 30, "月": 30, "年": 360}[unit]
    return int(round(n * factor))


_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


# A question about what moved in a time (哪些问题有新进展, 办理有推进, 台账有什么变化), not what is new or open
# what moved in the problem ledger: progress noted, or problems newly raised (新提出的问题 of a week or quarter)
# No funds arrived at all (一分钱还没到位, 资金一直没到位, 到位资金为零).
_NO_FUNDS = re.compile(r"(?:一分钱|分文|资金|钱)(?:都|也|还|一直)?(?:没有?|未)(?:有)?到位|到位资金(?:还|仍)?(?:是|为)?(?:零|0)(?!\.)|零到位")
_MOVED = re.compile(r"进展|推进|动态|变化|动静|办到|进度|新(?:提出|登记|反映|增)(?:了|的)?[^，。？?]{0,4}问题")
# An occasion's figure asked at its highest (签约金额最高, 签的项目最多): the amount, or the projects signed.
_EVENT_ORDER = re.compile(r"(签约金额|签约额|金额|签的钱)最[高多大]|签(?:约|的)?项目(?:数|个数)?最多|签的?最多")
# One occasion the question is about (那场推介会, 丝博会专场, 签约仪式), not the ledger's dates
_OCCASION = re.compile(r"(?:那|这|哪|一)场|专场|推介会|大会|活动|展会|博览会|仪式")


def _window(text: str, today: date | None = None) -> tuple[date | None, date | None]:
    """A signing window when the question asks what happened within a month or a quarter (2023年11月签约,
    二季度新签约), not in a cumulative period (1-11月, 截至11月, 前三季度). A month or quarter without its year
    (6月份签约, 二季度开工) is of the year of `today` (the day relative dates count from: the data's as-of day when
    the data is older than the clock), and 本月 / 上个月 are counted from it."""
    if not re.search(r"签约|签了|签的|开工|动工|投产|举办|(?<![承主协])办(?:了|过)|线索|在谈|走访|叩门|拜访|来访|对接|"
                     r"(?:提出|提上来|提交|报上来|登记|反映|新增)(?:了|的|来)?[^，。？?]{0,4}问题", text):
        return None, None
    return calendar_window(text, today)


# A week of the year by its number (2023年第30周, 第 5 周): ISO weeks, Monday first; group 1 the year, if said.
WEEK_NUMBERED = re.compile(r"(?:(20\d{2})\s*年\s*)?第\s*(\d{1,2})\s*周")


def weeks_in(year: int) -> int:
    """How many ISO weeks the year has (52 or 53): 28 December always falls in its last."""
    return date(year, 12, 28).isocalendar()[1]


def calendar_window(text: str, today: date | None = None) -> tuple[date | None, date | None]:
    """The month or quarter a text names as days (二季度 → April–June, 7月份 → July), of the year it says or of
    `today`'s; none for a cumulative span (1-7月, 截至7月, 前三季度)."""
    year_m = re.search(r"(20\d{2})\s*年", text)
    relative = re.search("|".join(_RELATIVE_YEARS), text) if today else None
    # an occasion's signing (6月份宁波那场签了多少) is the event's own figure, in whatever year it was held
    # (去年4到6月签约的: the months of the year said relative to `today`)
    year = int(year_m.group(1)) if year_m else (today.year + (_RELATIVE_YEARS[relative.group()] if relative else 0)
                                                if today and not _OCCASION.search(text) else None)
    # a span of months from a later month than January (4到6月签的, 下半年办的) is a window; from January it is the
    # cumulative period the indicators read
    span = _MONTH_SPAN.search(text)
    first_month, last_month = (int(span.group(1)), int(span.group(2))) if span else (7, 12) if "下半年" in text else (0, 0)
    if year and 1 < first_month <= last_month <= 12 and not re.search(r"截[至止]|累计", text):
        return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
    if re.search(r"\d\s*[-—至到~]\s*\d|截[至止]|前三季度|累计", text):
        return None, None
    if year and (week := WEEK_NUMBERED.search(text)) and 1 <= int(week.group(2)) <= weeks_in(year):
        # 2023年第30周: that ISO week, Monday to Sunday (a week the year does not have is refused as a bad period)
        monday = date.fromisocalendar(year, int(week.group(2)), 1)
        return monday, monday + timedelta(days=6)
    if today and (m := re.search(r"(本|这|上)个?月(?!底|末)", text)) and not year_m:
        first = today.replace(day=1)
        if m.group(1) == "上":
            first = (first - timedelta(days=1)).replace(day=1)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if m := re.search(r"(?<![\d-])(\d{1,2})\s*月(?:份)?(?!底|末)", text):
        month = int(m.group(1))
        if year and 1 <= month <= 12:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := re.search(r"(?<!前)第?([一二三四1-4])季度", text):
        q = _QUARTER[m.group(1)]
        if year:
            end = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
            return date(year, 3 * q - 2, 1), end
    # a year said on its own (去年提出来的问题, 2022年走访过的企业): the whole of it; a half of it (上半年) is the
    # cumulative period the indicators and the signing filters read, not a window here
    said = int(year_m.group(1)) if year_m else (
        today.year + _RELATIVE_YEARS[relative.group()] if today and relative else None)
    # (an occasion's signing, 今年丝博会签了多少, is the event's own figure: no window)
    if said and not re.search(r"[上下]半年|季度|月", text) and not _OCCASION.search(text):
        return date(said, 1, 1), date(said, 12, 31)
    return None, None


_MONTH_SPAN = re.compile(r"(?<![\d.])(\d{1,2})\s*月?\s*[-—至到~]\s*(\d{1,2})\s*月")
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年": 0}


# A deadline asked of a window (下个月到期, 本周要办结, 30天内到期): the days ahead it falls in
_DUE = re.compile(r"到期|办结时限|时限|期限|截止|要办结|该办结|快到期|约定\S{0,6}?(?:开工|动工)")
# A quarter or a half of a year named for the deadline to fall in (办结时限落在三季度, 期限在下半年的)
_DUE_QUARTER = re.compile(r"(?:(\d{4})\s*年\s*)?(?<!前)(第?[一二三四1-4]季度|[上下]半年)(?!\s*(?:以来|以前|之前|前|末|底))")
_QUARTER_MONTHS = {**{f"{p}{q}季度": (3 * n - 2, 3 * n) for n, qs in enumerate((("一", "1"), ("二", "2"), ("三", "3"), ("四", "4")), 1)
                      for q in qs for p in ("", "第")}, "上半年": (1, 6), "下半年": (7, 12)}
# A calendar month named for the deadline to fall in (办结时限在9月份, 8月份要到开工期限), with its year or not.
_DUE_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(?<![\d\-—~至到])(\d{1,2})\s*月(?:份)?(?!\s*[\d一二三四五六七八九十]+\s*[日号])"
                        r"(?!\s*(?:以来|以后|之后|后|前|之前|底|末))")
# 截止到6月、到6月为止: a day the question counts up to, not a month deadlines fall in
_AS_OF_MONTH = re.compile(r"(?:截[止至]|到|至)\s*(?:于)?\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月")


def _due_window(text: str, today: date | None) -> tuple[date | None, date | None]:
    """The window a deadline is asked to fall in, counted from `today` (the data's day): 本周 / 下周 the seven days
    ending / starting after it, 本月 / 下个月 the calendar month, 年底 December, N天内 the next N days."""
    if today is None or not _DUE.search(text):
        return None, None
    if m := re.search(r"(本|这|下)个?月", text):
        first = today.replace(day=1)
        if m.group(1) == "下":
            first = (first + timedelta(days=32)).replace(day=1)
        return max(first, today) if m.group(1) != "下" else first, first.replace(
            day=calendar.monthrange(first.year, first.month)[1])
    if m := re.search(r"(本|这|下)个?(?:周|星期|礼拜)", text):
        return (today, today + timedelta(days=6)) if m.group(1) != "下" else (
            today + timedelta(days=1), today + timedelta(days=7))
    if (days := _days(text, bare=True)) and re.search(r"内|以内|之内", text):
        return today, today + timedelta(days=days)
    if m := re.search(r"(?:(\d{4})\s*年)?(?:年底|年末|年终)", text):  # 办结时限到年底: December of that year
        year = int(m.group(1) or today.year)
        return date(year, 12, 1), date(year, 12, 31)
    if m := _DUE_QUARTER.search(text):  # 办结时限落在三季度, 约定开工期限在下半年: the quarter's or half's months
        year = int(m.group(1) or today.year)
        opens, closes = _QUARTER_MONTHS[m.group(2)]
        end = date(year, closes, calendar.monthrange(year, closes)[1])
        if end >= today:  # (a quarter already over asks of every problem then due, solved ones too: not a window ahead)
            return date(year, opens, 1), end
    months = list(_DUE_MONTH.finditer(text))
    if len(months) == 1 and not _AS_OF_MONTH.search(text) and 1 <= (month := int(months[0].group(2))) <= 12:
        year = int(months[0].group(1) or today.year)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if re.search(r"快|即将|临近|马上|眼看", text):  # 快到期的问题: the next 30 days
        return today, today + timedelta(days=30)
    return None, None


# A project's phase at the end of its name (一期, 二期, 首期).
_PHASE = re.compile(r"[一二三四五六七八九十首\d]期$")


def _find_name(text: str, names: list[str], kind: str, shorts: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(canonical name, the span of text that named it), preferring the longest span. `shorts`: other names a thing
    is called by (an enterprise's trade name → the enterprise)."""
    norm = normalise_name(text)
    found: list[tuple[int, str, str]] = []
    # a project called without its phase (富硒食品产业园那个 → 富硒食品产业园一期项目), where no other project shares
    # the rest and the question names no other phase
    phaseless: dict[str, list[str]] = {}
    if kind == "project":
        for name in names:
            core = core_name(name, kind)
            if (bare := _PHASE.sub("", core)) != core and len(bare) >= 4:
                phaseless.setdefault(bare, []).append(name)
    for name in names:
        for candidate in {normalise_name(name), core_name(name, kind)}:
            if len(candidate) >= 2 and candidate in norm:
                found.append((len(candidate), name, candidate))
    found += [(len(bare), mine[0], bare) for bare, mine in phaseless.items()
              if len(mine) == 1 and bare in norm and not re.match(r"[一二三四五六七八九十首\d]期", norm[norm.find(bare) + len(bare):])]
    found += [(len(short), name, short) for short, name in (shorts or {}).items() if short in norm]
    if not found:
        return None
    _, name, span = max(found)
    return name, span


def _category(text: str, categories: list[str]) -> str | None:
    """An enterprise category the question names, from the enterprise table's own values (外资企业 → 外资), the
    longest first; a short value (外资, 其他) only where a company noun follows it (外资项目 is no category)."""
    for value in sorted(categories, key=len, reverse=True):
        start = text.find(value)
        while start >= 0:
            if len(value) >= 4 or _COMPANY_NOUN.match(text[start + len(value):]):
                return value
            start = text.find(value, start + 1)
    return next((w for w in _CATEGORY_WORDS if w in text), None)


@lru_cache(maxsize=1)
def ledger_terms() -> tuple[str, ...]:
    """The words of the project ledger's header names (项目, 项目管家, 进展, 约定开工期限…), longest first: the words a
    question about the ledger is written with, and the ones a same-sounding typo is taken for."""
    words = {alias for spec in PROJECT_SPECS for alias in spec.aliases if len(alias) >= 2 and "/" not in alias}
    words |= {w for spec in PROJECT_SPECS for alias in spec.aliases for w in get_tokenizer().lcut(alias) if len(w) >= 2}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def sound_alike_terms(text: str) -> list[tuple[str, str]]:
    """Ledger words typed with one same-sounding wrong character or a traditional form (最新近展 → 最新进展,
    項目 → 项目): (the typed span, the word). A span that is itself a word of the dictionary (公式, not 公示) is
    what was meant, not a typo."""
    from pypinyin import lazy_pinyin

    tokenizer = get_tokenizer()
    known = tokenizer.FREQ
    # a span that cuts a dictionary word of the question in two (县去 across 石泉县 | 去年) is no typed word at all
    inside: set[int] = set()
    at = 0
    for word in tokenizer.lcut(text):
        if len(word) > 1 and known.get(word):
            inside.update(range(at + 1, at + len(word)))
        at += len(word)
    taken = [False] * len(text)
    found: list[tuple[str, str]] = []
    for term in ledger_terms():
        for start in range(len(text) - len(term) + 1):
            span = text[start:start + len(term)]
            if span == term or any(taken[start:start + len(term)]) or known.get(span):
                continue
            if start in inside or start + len(term) in inside:
                continue
            if sum(a != b for a, b in zip(span, term, strict=True)) == 1 and lazy_pinyin(span) == lazy_pinyin(term):
                taken[start:start + len(term)] = [True] * len(term)
                found.append((span, term))
    return found


# who is in charge of a project, as the ledger records it: a who-question about listed projects that names no
# column (在谈的项目现在都谁在管, 这几个项目归谁抓) asks for these, in this order
_IN_CHARGE_FIELDS = ("responsible", "leader", "manager")
_WHO = re.compile(r"谁|哪位|哪几位|哪些人")


def in_charge_columns(text: str = "", said_only: bool = False) -> list[str]:
    """The ledger columns naming who is in charge of a project (责任单位, 包抓领导, 项目管家), by their header names;
    those whose own word the text says (哪位领导包抓的: 包抓 of 包抓领导), when it says one (only those, or none,
    with `said_only`)."""
    by_field = {spec.field: spec.aliases[0] for spec in PROJECT_SPECS}
    columns = [by_field[f] for f in _IN_CHARGE_FIELDS if by_field.get(f) in LEDGER_COLUMNS]
    said = [c for c in columns if (stem := re.sub(r"^项目|领导$|单位$", "", c)) and stem in text]
    # (这几个分别是谁首谈的: who first met the investors, a column asked by its own verb, never by default)
    said += [label for label, asked in _SAID_BY_VERB.items() if label in LEDGER_COLUMNS and asked.search(text)]
    return said or ([] if said_only else columns)


# Ledger columns of who did something to a project, asked by who and the verb (谁首谈的 → 来源/首谈单位; not
# 他们名下首谈的项目, where the one who did it is given)
_SAID_BY_VERB = {"来源/首谈单位": re.compile(r"(?:谁|哪位|哪家|哪个单位|哪个部门)[^，。？?]{0,2}首谈"),
                 # 分别是哪家单位负责: the unit in charge, said by its verb (not 谁负责, which may be a person)
                 "责任单位": re.compile(r"(?:哪家|哪个|哪些|什么)(?:单位|部门)[^，。？?]{0,2}(?:负责|牵头|承办)|"
                                    r"(?:负责|牵头|承办)的?(?:单位|部门)(?:是|都是|分别是)?(?:哪|谁|啥|什么)")}


def ledger_columns(text: str) -> list[str]:
    """The project ledger columns a question names, by any header name the importer accepts for them (管家 is
    项目管家, 开工期限 is 约定开工期限), in the order asked; the longest name wins where names overlap (最新进展
    is not also 进展)."""
    names = sorted(((alias, label) for label, aliases in LEDGER_COLUMNS.items() for alias in aliases),
                   key=lambda n: -len(n[0]))
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for alias, label in names:
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            # a short header said as whom something is done for (咋帮企业的, 给企业办了啥): no column asked
            done_for = len(alias) <= 2 and start > 0 and text[start - 1] in "帮为给替向跟和与让"
            if not any(taken[start:end]) and not done_for:
                taken[start:end] = [True] * len(alias)
                found.append((start, label))
            start = text.find(alias, end)
    # a column asked by what it records rather than its header (约定啥时候开工: the agreed start, 约定开工期限)
    for label, asks in _COLUMN_ASKED.items():
        if label in LEDGER_COLUMNS and (m := asks.search(text)) and not any(taken[m.start():m.end()]):
            found.append((m.start(), label))
    return list(dict.fromkeys(label for _, label in sorted(found)))


_COLUMN_ASKED = {"约定开工期限": re.compile(r"约定(?:的|在|要|得)?(?:啥时候|什么时候|哪天|哪一天|几号|何时|几月份?)(?:开工|动工)")}


# A change across the ledger's weekly issues (哪一期从线索转成在谈, 这几期涨了多少, 6月底以来增加了多少, 进展有没有更新).
_ACROSS_ISSUES = re.compile(r"哪一?期|这几期|各期|每一?期|上一?期|这一?期|几期|这几周|最近几周|这几个?星期|以来|到现在|至今|"
                            r"(?:比|跟|和|较|同)上(?:周|个?星期|礼拜)|最近两期|(?:跟|和|与|同)现在比|那一?期.{0,12}现在|前后.{0,4}变|变了|"
                            r"涨了|增加了|多了|变化|转成|转为|转到|有没有更新|有更新|"
                            # (哪一周涨得最多; 7月14号那期和7月21号那期: two issues named)
                            r"哪一?(?:周|个星期|个礼拜)|那一?期.{0,12}那一?期")
# Each issue of the ledger asked, not the last two (哪一期开始过六成的, 哪一周涨得最多, 各期分别多少, 这几期怎么变的).
_EVERY_ISSUE = re.compile(r"哪一?期|哪一?(?:周|个星期|个礼拜)|各期|每一?期|这几期|几期|逐期|历次|每周|这几周|最近几周|这几个?星期")
# Who led or attended an occasion, asked (哪几位市领导带队去的, 谁出席的, 哪位领导率队).
# The project a problem is of, asked a column of (问题对应的项目是谁包抓的, 这些问题所属项目的项目管家): the two ledgers joined.
_PROJECT_OF_PROBLEM = re.compile(r"(?:对应|所属|相应|涉及)的?项目|项目(?:分别)?(?:是|归)?(?:谁|哪位|哪个)")
# Projects said as signed (签约项目, 已签约的, 签了约的): at 签约 or past it, as the bureau counts them; not those said
# to be at the step (还在签约阶段的, 签约还没开工的).
_SIGNED_PROJECTS = re.compile(r"签约(?:的)?(?:[这那]?[几些]个?)?项目|已(?:经)?签约|签约了的|签过约")
_AT_SIGNING = re.compile(r"(?:还在|处于|停在|仍在|还是|正在|卡在)\s*签约|签约(?:阶段|状态|环节)|"
                         r"(?:没|未|不|还没有?|尚未)\s*(?:开工|动工|投产|竣工)")
# The offices as a kind (驻外联络处, 各联络处, 驻外分局), none named by its city.
_ANY_OFFICE = re.compile(r"(?:驻外|各个?|几个|这些|那些)?(?:招商)?(?:联络处|分局)")
# Projects that still have a problem open in the problem ledger (还挂着没办完问题的, 有未解决问题的项目).
_WITH_PROBLEMS = re.compile(r"(?:挂着|有|存在|带着)[^，。？?]{0,3}(?:没办完|没办结|未办结|没解决|未解决|尚未解决)的?(?:问题|诉求)")
# The counties set side by side (哪个县区…最多, 各县区, 排前三的县区): a total per county, whatever stage picks the projects.
_BY_COUNTY = re.compile(r"(?:哪个|哪些|哪几个|哪一个|各)(?:县区|县|区县|地区)|(?:县区|区县)(?:里|中|之间)?[^，。？?]{0,6}(?:最多|最少|排)"
                        r"|排前.{0,3}的?(?:县区|区县)")
# How many different ones among the things listed (横跨几条产业链, 分布在几个县区, 对接企业的单位一共有几家): the noun
# of the column whose distinct values are counted, canonical.
DISTINCT_NOUNS = {"产业链": "产业链", "链": "产业链", "条链": "产业链", "县区": "县区", "县": "县区", "区县": "县区",
                  "地区": "县区", "县市区": "县区", "企业": "企业", "公司": "企业", "单位": "单位", "联络处": "联络处",
                  "部门": "部门", "项目管家": "项目管家", "管家": "项目管家"}
# The rows per different value (每个项目管家平均管几个项目, 平均每个县区有几个项目): the noun after 每.
_PER_GROUP = re.compile(r"(?:平均)?每(?:个|位|家|条)\s*(项目管家|管家|县区|区县|县|联络处|单位|部门|产业链|链|企业)"
                        r"[^，。？?]{0,8}(?:平均|几个|多少个)")
_DISTINCT_ASKED = re.compile(
    r"(?:横跨|涉及|分布在|分布于|分散在|覆盖|分属|落在|散布在|来自|摊在)(?:了)?\s*(?:几|多少)\s*(?:条|个|家)\s*(?:责任)?"
    r"(?P<noun>产业链|链|县市区|县区|区县|地区|县|企业|公司|单位|联络处|部门)|"
    r"(?P<before>单位|部门|联络处)[^，。？?]{0,4}(?:一共|总共|共)有?\s*(?:几|多少)\s*(?:家|个)")
# A mean per thing (平均每个, 平均一个项目, 平均一场, 每个项目平均, 人均): not 平均用了多少天 (a span's own mean).
_MEAN_ASKED = re.compile(r"平均(?:每|一)\s*(?:个|家|场|项|次)|(?:每个|每家|每场|每项)[^，。？?]{0,6}平均|平均下来每|"
                         # 平均总投资多少, 平均到位了多少钱: the mean of an amount (not 平均年龄, 没跑赢全市平均的有哪几个)
                         r"平均(?:每个项目|一个项目)?(?:的)?(?:总投资|投资额|投资|到位资金|到位|签约金额|签约|合同额|金额|规模)"
                         r"[^，。？?]{0,4}(?:多大|多少|几)")
_LEADERS_ASKED = re.compile(r"带队|率队|领队|出席|陪同|(?:哪|几)\s*位[^，。？?]{0,3}领导|哪些领导|谁去的|谁带")
# An event said by its name (丝博会安康专场, 进博会, 包装饮用水富硒食品推介会): the words before its kind of event.
_EVENT_MENTION = re.compile(r"[\u4e00-\u9fa5A-Za-z]{0,12}(?:博会|博览会|交易会|洽谈会|投洽会|推介会|招商会|峰会|论坛|大会|专场)")
# Words every event's name may have: they name no one event (推介会, 安康, 专场, 第七届).
_EVENT_GENERIC = re.compile(r"第[一二三四五六七八九十\d]+届|陕西|安康市?|中国|重点|产业链|合作|项目|招商|暨|专场|推介会|大会|活动|"
                            r"城市|精准|[那这哪]场|今年|去年|上|的|在|参加|举办|办的?|开的?|（示例）")
# Events named as examples of a kind (丝博会、进博会这种大型会展, 丝博会等展会): the kind is asked, not those events.
_EVENT_KIND = re.compile(r"(?:这种|这类|这样的|之类的?|一类的?|等)(?:大型|重大|重点)?(?:会展|展会|会议|活动|博览会)")
# The kinds of event that are named fairs: one of these the events table does not hold is an event it lacks.
_FAIR = re.compile(r"博会|博览会|交易会|投洽会|峰会|论坛")


def _common(a: str, b: str) -> str:
    """The longest run of characters `a` and `b` share."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def event_named(text: str, titles: list[str]) -> tuple[str | None, str | None]:
    """(the part of an event's title the question names it by, None), or (None, a named fair no title holds), or
    (None, None). The name is what is left once the words every title may have are taken out (丝博会安康专场 is
    the title 第七届丝博会安康重点产业链专场推介会 by 丝博会; 进博会 shares only 博会 with it)."""
    if _EVENT_KIND.search(text):
        return None, None  # 丝博会、进博会这种大型会展: events of a kind, named by examples of it
    for m in _EVENT_MENTION.finditer(text):
        said = _EVENT_GENERIC.sub("", m.group())
        if len(said) < 2 or re.search(r"哪|什么|啥|几", said):
            continue
        best = max((_common(said, t) for t in titles), key=len, default="")
        if len(best) >= min(3, len(said)):
            # the edition said with it (第七届丝博会): that edition only, where a title writes it so
            edition = re.search(rf"(第[一二三四五六七八九十\d]+届){re.escape(best)}", text)
            if edition and any(edition.group() in t for t in titles):
                return edition.group(), None
            return best, None
        if _FAIR.search(m.group()) and len(best) < 3:
            return None, said
    return None, None


def unknown_office(text: str, vocab: SlotVocabulary) -> str | None:
    """An office named (重庆联络处, 驻成都招商联络处) that none of the offices table's names, cities or aliases
    resolves; None when every office named is known or none is named."""
    if not vocab.offices:
        return None
    known = {w for name, city, aliases in vocab.offices for w in (name, city, *aliases) if w}
    for m in _OFFICE_MENTION.finditer(text):
        words = [w for w in get_tokenizer().lcut(re.split(r"[，,。；;、？?！!\s]", text[: m.start()])[-1]) if w.strip()]
        name = words[-1] if words else ""
        if name in _SAYING:
            continue  # 报告里说联络处编的…: what a document says of the offices, no office named
        if len(name) == 1 and len(words) > 1 and name not in "驻的了":
            name = words[-2] + name
        name = name.removeprefix("驻")
        if len(name) < 2 or _NO_NAME.match(name):
            continue
        if any(name in w or w in name for w in known):
            continue
        return f"{name}{m.group(0)}"
    return None


def unknown_chain(text: str, vocab: SlotVocabulary) -> str | None:
    """A chain named (航空航天产业链, 氢能产业链) that is none of the chains table's names or aliases."""
    if not vocab.chains:
        return None
    words = get_tokenizer().lcut(text)
    for i, word in enumerate(words):
        if not word.endswith("产业链"):
            continue
        name = word[: -len("产业链")] or (words[i - 1] if i else "")
        start = i - (not word[: -len("产业链")])  # the index of the word the name begins with
        if start > 0 and len(name) == 2 and len(before := words[start - 1]) >= 2 and len(before + name) <= 6 \
                and re.fullmatch(r"[\u4e00-\u9fa5]+", before) and not _NO_CHAIN_NAME.search(before) \
                and all(t.flag[0] not in "vdpcu" for t in posseg.cut(before + name)):
            name = before + name  # 数字经济产业链, 低空经济产业链: a name of two words, not 经济产业链
        # (目标企业库里产业链一栏: a place the column is in, not a chain's name)
        if len(name) < 2 or _NO_CHAIN_NAME.search(name) or not re.fullmatch(r"[\u4e00-\u9fa5]+", name) \
                or name[-1] in "里中内上":
            continue
        if any(w and (w in name or name in w) for chain, aliases in vocab.chains for w in (chain, *aliases)):
            continue
        return name + "产业链"
    return None


def unknown_company(text: str, vocab: SlotVocabulary) -> str | None:
    """A company named with its company word (华为公司, 比亚迪集团) that the enterprise table does not hold."""
    words = get_tokenizer().lcut(text)
    for i, word in enumerate(words):
        suffix = next((w for w in _COMPANY_WORDS if word.endswith(w)), None)
        if suffix is None:
            continue
        own = bool(word[: -len(suffix)])
        name = word[: -len(suffix)] or (words[i - 1] if i else "")
        # the word before the name may make it a description (港资纺织公司, 一家外资企业集团)
        before = words[i - 1 - (not own)] if i - (not own) > 0 else ""
        if (len(name) < 2 or _NO_COMPANY_NAME.search(name + before)
                or not re.fullmatch(r"[\u4e00-\u9fa5A-Za-z]+", name)):
            continue
        if (_find_name(name + suffix, vocab.enterprises, "enterprise", vocab.trade_names)
                or _find_name(name, vocab.projects, "project")
                or any(name in e for e in vocab.enterprises)):  # 物流公司 is 示例物流有限公司
            continue
        return name + suffix
    return None


# Verbs that open a clause about something (想让, 建议, 听说): what follows them is what is said, the name is after.
_SAYING = frozenset({"想", "让", "要", "想让", "要求", "说", "讲", "问", "建议", "希望", "提", "提出", "认为", "觉得", "听说",
                     "请", "呼吁", "反映"})


def _after_saying(words: str) -> str:
    """The words before 项目 after the last verb opening a clause (赵国梁代表想让承接转移 → 承接转移): a person's wish or
    saying is no part of a project's name."""
    tokens = [t.word for t in posseg.cut(words)]
    cut = max((i for i, w in enumerate(tokens) if w in _SAYING), default=-1)
    return "".join(tokens[cut + 1:]) if 0 <= cut < len(tokens) - 1 else words


def is_clause(words: str) -> bool:
    """Whether the words before 项目 say something (干部尽力了但没招来项目) rather than name a project (秦巴锂电池回收
    项目): a name is a noun phrase, without prepositions, conjunctions, particles, pronouns or adverbs, and with a
    word in it other than a verb (是想让项目: verbs only)."""
    tokens = list(posseg.cut(words))
    return any(token.flag.startswith(_CLAUSE_FLAGS) for token in tokens) or all(
        token.flag.startswith("v") and token.flag != "vn" for token in tokens)


@lru_cache(maxsize=1)
def _column_cues() -> dict[str, tuple[str, ...]]:
    """The words that name each filter column: its header names and their words (管家, 包抓), not 项目 alone."""
    cues: dict[str, tuple[str, ...]] = {}
    for label, aliases in MATCH_COLUMNS.items():
        words = {a for a in aliases if "/" not in a} | {
            w for a in aliases for w in get_tokenizer().lcut(a.replace("/", "")) if len(w) >= 2 and w != "项目"}
        cues[label] = tuple(sorted(words, key=len, reverse=True))
    return cues


def _candidates(value: str) -> list[str]:
    """How a question names a column's value: whole, or the part in brackets (副市长（分管文旅） → 分管文旅)."""
    inner = re.findall(r"[（(]([^）)]{2,})[）)]", value)
    return [value, *inner]


# The chain column left empty (产业链一栏没标的, 没填产业链的, 产业链还空着): the rows with no chain.
CHAIN_UNFILLED = re.compile(r"产业[链连](?:这一?栏|那一?栏|一栏|栏)?(?:还|都|仍)?(?:没有?(?:填写?|写|标注?|定)|未(?:填写?|标注?)|空着|"
                            r"是空的|为空)|(?:没有?|未)(?:填写?|标注?|写)产业[链连]")


# How a question denies or affirms that projects are of a kind (不算制造业, 不属于, 非; 是, 属于, 算).
_DENIED = r"非|不是|不算|不属于|不为|没算|不归"
_AFFIRMED = r"是|算|属于|归"


def ledger_matches(text: str, values: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(filters, mentions) from the ledger's own values: `filters` are column → value the question picks projects
    by (张某当管家的项目, 续建项目, B级线索, 制造业项目); a short who-value (张某) counts only where the question names
    its column, otherwise it is a mention, which a follow-up (那李某呢) may put in place of the previous value.
    A yes/no column (制造业) is picked by its header before 项目 (非制造业项目: 否)."""
    filters: dict[str, str] = {}
    mentions: dict[str, str] = {}
    cues = _column_cues()
    for label, found in values.items():
        hits = [(len(c), v, c) for v in found for c in _candidates(v) if len(c) >= 1 and c in text
                and (len(c) >= 2 or re.search(rf"(?<![A-Za-z]){re.escape(c)}(?:级|类|等)", text)
                     # a grade after its column or a verb of grading (线索等级评A的, 等级为B, 评了个C)
                     or re.search(rf"(?:等级|评|为|是|个)\s*{re.escape(c)}(?![A-Za-z])", text))]
        if not hits:
            continue
        _, value, span = max(hits)
        named = any(cue in text for cue in cues.get(label, ()))
        if label in WHO_COLUMNS and len(span) < 4 and not named:
            mentions[label] = value
        else:
            filters[label] = span if span != value and len(span) >= 2 else value
    for label, words in cues.items():  # 还没配项目管家的项目: the column left empty
        if label in FLAG_COLUMNS or label in filters:
            continue
        for w in words:
            m = re.search(rf"{_NOT_YET}(?:配备?|填写?|定|明确|安排|落实|指定|确定)?(?:上|好)?{re.escape(w)}", text) or re.search(
                # (包抓领导一栏没填的项目, 项目管家还空着的: the column named first, then left empty)
                rf"{re.escape(w)}(?:名称|名字)?(?:这一?栏|那一?栏|一栏|栏)?(?:还|都|仍)?(?:没有?(?:填写?|写|配|定|明确|标注?)|"
                rf"未(?:填写?|配备?|明确|标注?)|空着|是空的|为空)", text)
            # (还没落实包抓领导: 落实 is the verb, 包抓领导 the column — not the 落实单位 left empty)
            if m and not any(text.startswith(o, m.end()) for other, cue in cues.items() if other != label for o in cue):
                filters[label] = UNFILLED
                break
    for label in FLAG_COLUMNS:
        for alias in sorted(MATCH_COLUMNS[label], key=len, reverse=True):
            # 制造业项目, 非制造业项目; said of listed projects: 哪几个不算制造业, 哪些是制造业
            if m := re.search(rf"({_DENIED}|{_AFFIRMED})?{re.escape(alias)}(?:的)?(?:项目)?", text):
                if alias.endswith("项目") or m.group(0).endswith("项目") or m.group(1):
                    filters[label] = "否" if m.group(1) and re.fullmatch(_DENIED, m.group(1)) else "是"
                    break
    return filters, mentions


# A person said to be in charge of projects (负责, 管着, 跟的, 抓的, 手上): which column records it is left unsaid
_IN_CHARGE_VERB = re.compile(r"(?:负责|分管|管着?|跟着?|抓着?|盯着?|牵头|手上|手里|名下)的?.{0,6}项目")


def _in_charge_of(text: str, mentions: dict[str, str]) -> dict[str, str]:
    """The who-value of a question that says a person is in charge of projects without naming the column (黄某负责
    哪些项目, 吴某跟的项目): a filter on the one column holding that value. A value two columns hold stays a mention:
    which of them is meant is not said."""
    verb = _IN_CHARGE_VERB.search(text)
    if len(mentions) != 1 or verb is None:
        return {}
    (label, value), = mentions.items()
    return {label: value} if 0 <= text.find(value) < verb.start() else {}  # the person is who is in charge


def _until(text: str, today: date | None) -> date | None:
    """The day a count of what happened runs up to (截至6月底开工的项目, 到3月末投产了几个): a month's end, of the
    year written or of `today`'s."""
    return _day_of(re.search(r"(?:截[至止]|到)\s*(?:(20\d{2})\s*年)?\s*(\d{1,2})\s*月(?:份)?(?:底|末|(\d{1,2})\s*[日号]"
                             r"(?:为止|止|前|以前)?)", text), today)


def _day_of(m: re.Match[str] | None, today: date | None) -> date | None:
    """The day a match of (year?, month, day?) names: the month's last day when no day is written, the year `today`'s
    when none is; None for no match or a day the calendar does not have."""
    if m is None or not (1 <= int(m.group(2)) <= 12) or not (m.group(1) or today):
        return None
    year, month = int(m.group(1)) if m.group(1) else today.year, int(m.group(2))  # type: ignore[union-attr]
    last = calendar.monthrange(year, month)[1]
    day = int(m.group(3)) if m.group(3) else last
    return date(year, month, day) if 1 <= day <= last else None


# Not yet signed, said of the projects listed (还没签约的, 尚未签约的): the stages before 签约. (Not yet started is
# the lifecycle tools' question: signed how long ago, past the agreed start.)
_NOT_SIGNED = re.compile(rf"{_NOT_YET}签约(?!率)")
# a window of time or a deadline said with the step not reached (超期没开工, 到期还没投产): the window's tools answer
_PAST_DUE_WORDS = re.compile(r"超期|逾期|过期|到期|期限|拖")
_STEP_NOT_TAKEN = re.compile(rf"{_NOT_YET}(开工|动工|投产|竣工)(?!率|期限|日期|时间)")
# The “5+3” key chains as one group (5+3产业链上的项目, 不在5+3重点产业链上的, 非重点产业链项目), said or denied.
_KEY_CHAIN = re.compile(r"(不在|不属于|不是|不算|没在|没有在|非)?\s*(?:[“\"]?5\s*\+\s*3[”\"]?\s*(?:重点)?|重点)(?:产业)?链")


# The ledger of a date (7月21号那期台账, 截至6月底的台账上, 2023年6月30日台账): the projects as that ledger recorded them.
_LEDGER_ON = re.compile(r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|底|末)\s*"
                        r"(?:(?:的|那|这|当)?\s*一?\s*期?\s*的?\s*(?:项目|问题)?台账|(?:那|这)\s*一?\s*期)")


# A day the state is asked at (截至5月底, 到6月30日): of the problems still open then.
_AS_OF_DAY = re.compile(r"(?:截至|截止|到)\s*(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|底|末)")
_STILL_OPEN = re.compile(r"(?:还没|没有?|未|尚未)\s*(?:办结|解决|办完|销号)")


def _ledger_on(text: str, today: date | None) -> date | None:
    """The day of the ledger a question reads (6月底那期台账 → 6月30日), of the year written or of `today`'s."""
    return _day_of(_LEDGER_ON.search(text), today)


# A step not yet taken (还没签下来, 没转在谈, 迟迟不开工) and the stage words that name where a project stays.
_NOT_REACHED = re.compile(r"(?:还没有?|没有?|未|尚未|仍未|迟迟(?:没有?|未|不)?|不)\s*(?:转(?:入|到|成|为)?|进入?|走到|到)?\s*"
                          r"(在谈|洽谈|签约|签下|签|开工|动工|投产|竣工)")
_STEP_OF = {"在谈": "在谈", "洽谈": "在谈", "签约": "签约", "签下": "签约", "签": "签约", "开工": "开工", "动工": "开工",
            "投产": "投产", "竣工": "投产"}
_STAYING = (("线索", "线索"), ("在谈", "在谈"), ("洽谈", "在谈"), ("签约", "签约"), ("签了", "签约"), ("开工", "开工"),
            ("动工", "开工"))


def _stuck_in(text: str, days: int | None) -> str | None:
    """The stage projects stay in, asked with a time or a word of waiting (在谈满一个月还没签下来 → 在谈; 停在线索阶段没转
    在谈 → 线索; 开工半年还没投产 → 开工): the stage named before the step not taken, else the stage just before it."""
    m = _NOT_REACHED.search(text)
    if not m or days is None and not re.search(r"迟迟|一直|很久|好久|停在|卡在|停留", text):
        return None
    step = _STEP_OF[m.group(1)]
    earlier = PROJECT_STAGES[: PROJECT_STAGES.index(step)]
    named = sorted((text.rfind(word, 0, m.start()), stage) for word, stage in _STAYING
                   if stage in earlier and word in text[: m.start()])
    return named[-1][1] if named else earlier[-1]


# The lifecycle step a question asks happened in a window (二季度开工的, 上周有没有项目开工, 近两周新进的线索): the
# step whose date the window applies to; signing windows are the signing tools' own (new_signings, list_projects).
_MILESTONE_WORDS = (("开工", "开工"), ("动工", "开工"), ("投产", "投产"), ("竣工", "投产"), ("线索", "线索"),
                    ("在谈", "在谈"), ("洽谈", "在谈"))


# The day of a step asked of each listed project (线索哪天进来的, 签约是什么时候, 开工日期): that step's date column.
_STEP_DAY_ASKED = re.compile(r"(线索|在谈|洽谈|签约|开工|动工|投产)[^，。？?；]{0,2}?(?:是)?(?:哪天|哪一天|什么时候|啥时候|几号|哪个月)|"
                             r"(?:哪天|哪一天|什么时候|啥时候|几号|哪个月)(?:才|就)?(?:进入)?(线索|在谈|洽谈|签约|签的约|开工|动工|投产)")
_STEP_DAY_WORDS = {"线索": "线索", "在谈": "在谈", "洽谈": "在谈", "签约": "签约", "签的约": "签约", "开工": "开工", "动工": "开工",
                   "投产": "投产"}
# A step taken within a number of days (开工不到两个月, 投产还不满90天), and a step not yet taken after it.
_REACHED_WITHIN = re.compile(r"(?:开工|动工|投产|进入洽谈|在谈|获取线索)(?:以来|后|的时间)?(?:还|才)?(?:不到|不满|未满|没满|不足|少于)")
_NOT_YET_AFTER = re.compile(r"[^，。？?]{0,12}(?:没|未|还没|尚未|不)(?:有)?(?:开工|动工|投产|签约|签)")


def _milestone(text: str) -> str | None:
    # 约定开工期限 is a deadline agreed for the step, not the step taken: its window is the deadline's
    staged = re.sub(rf"(?:{_NOT_YET}|不)(?:开工|动工|投产|竣工)|[A-Za-z]\s*[级类档等](?:的)?线索|线索等级|"
                    r"(?:约定\S{0,4}?)?(?:开工|动工|投产)\s*(?:期限|时限)|约定\S{0,4}?(?:开工|动工|投产)", "", text)
    if re.search(r"签约|签了|签的|新签|签下|率", staged):
        return None  # 签约 windows go to the signing tools; a rate (开工率) is a county figure
    return next((step for word, step in _MILESTONE_WORDS if word in staged), None)


# A leader's portfolio (分管商务的副市长, 商务口的市领导): the area a leader is in charge of, not a department
_LEADER = r"(?:副市长|市领导|副县长|县领导|分管领导|领导|副区长)"
_LEADER_AREA = re.compile(rf"分管[\u4e00-\u9fa5]{{2,4}}?(?=的?{_LEADER})|[\u4e00-\u9fa5]{{2}}口(?=的?{_LEADER})")


def _leader_area_said_out(text: str) -> str:
    """商务口的副市长 → 分管商务的副市长: the ledger's 包抓领导 column writes the portfolio with 分管."""
    return re.sub(rf"([\u4e00-\u9fa5]{{2}})口(?=的?{_LEADER})", r"分管\1", text)


def _distinct_part(named: str, vocab: SlotVocabulary) -> tuple[str, str] | None:
    """(project, span) when the words before 项目 end in a part of exactly one project's name (魔芋项目 → 魔芋精深加工
    项目; 那个毛绒玩具项目): officers shorten names to what tells them apart. A chain's or a county's name is no such
    part (新能源项目 are the chain's projects), nor is a word several projects share (富硒项目)."""
    reserved = [normalise_name(w) for name, aliases in vocab.chains for w in (name, *aliases)]
    # only a demonstrative may come before the part: 秦巴水电站 is another project's name, not 储能电站's 电站
    part = normalise_name(re.sub(r"^(?:那个|这个|那|这|咱们的?|我们的?|有个|一个)", "", named))
    if len(part) < 2 or _GENERIC_IN_NAME.search(part) or any(part in w or w in part for w in reserved if w):
        return None
    owners = [name for name in vocab.projects if part in core_name(name, "project")]
    return (owners[0], part) if len(owners) == 1 else None


def _kind_of_project(named: str, vocab: SlotVocabulary) -> bool:
    """制造业项目, 续建项目, 非制造业的项目: a kind the ledger's columns sort projects into (a yes/no column's name or
    a value of a text column), not the name of a project it lacks."""
    bare = re.sub(r"的$", "", named)
    kinds = [*FLAG_COLUMNS, *(v for label, values in vocab.ledger_values.items() if label in MATCH_COLUMNS for v in values)]
    return any(bare == k or bare == f"非{k}" for k in kinds if k)


def fill_slots(text: str, vocab: SlotVocabulary, today: date | None = None) -> Slots:
    slots = Slots()
    project = _find_name(text, vocab.projects, "project")
    if project and re.search(r"(?:\d+|[两三四五六七八九十几多]+)\s*个[^，。？?]{0,4}$", text[: text.find(project[1])]):
        project = None  # 12个汽车零部件配套项目: a group the question counts, not the one project of that name
    if project:
        slots.project, span = project
        slots.spans.append((span, "某项目"))
    else:
        for m in _PROJECT_MENTION.finditer(text):
            mention = _after_saying(m.group(1))
            if part := _distinct_part(mention, vocab):
                slots.project, span = part
                slots.spans.append((span, "某项目"))
                break
            if (not _NOT_A_PROJECT.search(mention) and len(core_name(mention)) >= 3 and not _GENERIC_IN_NAME.search(mention)
                    and not is_clause(mention) and not _kind_of_project(mention, vocab)):
                slots.unknown_project = mention + "项目"
                slots.spans.append((slots.unknown_project, "某项目"))
                break
    enterprise = _find_name(text, vocab.enterprises, "enterprise", vocab.trade_names)
    if enterprise and not (slots.project and enterprise[1] in (slots.project or "")):
        slots.enterprise, span = enterprise
        slots.spans.append((span, "某企业"))
    bare = re.sub(r"市(?=发改|工信|自然|生态|住建|人社|市场|交通|财政|商务|农业|文旅|卫健)", "", _LEADER_AREA.sub("", text))
    bodies_said = []  # (where, key, the words said) of each department the question names
    for key, aliases in DEPARTMENT_ALIASES.items():
        hit = next((w for w in sorted((key, *aliases), key=len, reverse=True)
                    if w in bare and (_BODY_SUFFIX.search(w) or not _SECTOR_TERM.match(bare, bare.index(w) + len(w)))),
                   None)
        if hit is not None:
            bodies_said.append((bare.index(hit), key, hit))
    # several only where each is said as a body (局, 委…) and they are joined (自然资源局和生态环境局各压着啥问题);
    # otherwise the first the table of aliases lists, as one department always was
    several = len(bodies_said) > 1 and all(_BODY_SUFFIX.search(hit) for _, _, hit in bodies_said) and _JOINED_BODIES.search(bare)
    for _, key, hit in sorted(bodies_said) if several else bodies_said[:1]:
        if any(key in normalise_name(d) for d in vocab.departments):
            # (several departments matching one key: the tool lists every matching department's problems)
            slots.department = slots.department or key
            if several:
                slots.departments = [*(slots.departments or []), key]
        else:
            slots.unknown_department = hit
            slots.unknown.append(("责任部门", hit))
        slots.spans.append((hit, "某部门"))
    if slots.departments and len(slots.departments) < 2:
        slots.departments = None
    if (field_said := _CONTACT_FIELD.search(text)) and not _PROBLEMS_ASKED.search(text):
        # 下一步里提到要跟高新区对接的: the visits whose next step (or outcome) writes what the question says of it
        column = "对接成果" if field_said.group(1) in ("成果", "对接成果", "结果") else "下一步"
        texts = vocab.contact_texts.get(column, [])
        words = [w for w in get_tokenizer().lcut(text[field_said.end():]) if len(w) >= 2 and w not in _NOT_CONTACT
                 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and any(w in t for t in texts)]
        if words:
            slots.contact_about, slots.contact_field = list(dict.fromkeys(words)), column
    if _PROBLEMS_ASKED.search(text) and (about := described_problems(text, vocab.problem_texts, vocab.projects)):
        slots.problem_about = about
        if len(about) > 1 and slots.department and not any(
                _BODY_SUFFIX.search(hit) for _, key, hit in bodies_said if key == slots.department):
            # 供电、能耗、并网这类问题: 供电 is one of the troubles listed, not the power company asked about
            slots.department, slots.departments = None, None
            slots.spans = [sp for sp in slots.spans if sp[1] != "某部门"]
    for name, aliases in vocab.chains:
        word = next((w for w in sorted((name, *aliases), key=len, reverse=True) if w and w in text), None)
        if word and not (slots.project and word in slots.project) and not (slots.enterprise and word in slots.enterprise):
            slots.chain = name
            slots.spans.append((word, "某产业链"))
            break
    if not slots.chain and CHAIN_UNFILLED.search(text):
        slots.chain = UNFILLED  # 产业链一栏没标的企业, 没填产业链的项目
    for city in vocab.event_cities:
        # the home city is named in passing (给外地客商介绍安康, 咱安康): it picks events only where they are asked
        if len(city) >= 2 and city in text and (city not in home_city() or _EVENT_ASK.search(text)):
            slots.city = city
            break
    else:  # a province the events were held in (去广东办过几场推介会): its cities' events, where events are asked
        places, home = gazetteer(), home_city()
        slots.city = next((p for p in places.find(text) if p not in places.lineage(home)
                           and any(within(c, p, places) for c in vocab.event_cities)), None) \
            if _EVENT_ASK.search(text) else None
    # an office by its short name (驻沪联络处, 驻京联络处): the city it sits in names it
    offices_said = [(w, city) for name, city, aliases in vocab.offices
                    if (w := max((w for w in (name, *aliases) if len(w) >= 3 and w in text), key=len, default=""))]
    spots = [(text.find(w), city) for w, city in offices_said]
    named = [city for _, city in sorted(spots)]  # in the order the question names them
    # (the office's name is a slot's words, not an attribute asked: 北京办首谈的 asks for no 办首)
    slots.spans += [(w, "某联络处") for w, _ in offices_said if not any(w in span for span, _ in slots.spans)]
    if not slots.city:
        slots.city = named[0] if named else None
    if len(named) > 1 and slots.city in named:
        slots.cities = named  # 北京办和上海办的负责人分别是谁: each office named is asked
    if _ACROSS_ISSUES.search(text) and not _PROBLEM_WORDS.search(text):
        slots.across_issues = True  # (a problem's progress over the weeks is the problem ledger's log)
        slots.every_issue = bool(_EVERY_ISSUE.search(text)) or None
    slots.leaders = bool(_LEADERS_ASKED.search(text)) or None
    slots.mean = bool(_MEAN_ASKED.search(text)) or None
    if per := _PER_GROUP.search(text):
        # 每个项目管家平均管几个项目: the rows over the different values of a column, not a mean per row
        slots.mean, slots.per_group = None, DISTINCT_NOUNS[per.group(1)]
    slots.past_due = bool(_PROBLEM_OVERDUE.search(text) or _DRAGGED.search(text)) or None
    if distinct := _DISTINCT_ASKED.search(text):
        slots.distinct = DISTINCT_NOUNS[distinct.group("noun") or distinct.group("before")]
    named_event, unheld_event = event_named(text, vocab.event_titles)
    if named_event:
        slots.event = named_event  # 丝博会安康专场签了多少项目: that event's own figures
        slots.spans.append((named_event, "某活动"))
    elif unheld_event:
        slots.unknown.append(("招商活动", unheld_event))  # 进博会上签了几个: no event record holds it
    elif (_EVENT_ASK.search(text) or _OCCASION.search(text)) and (kind := max(
            (k for k in vocab.event_kinds if k in text and not any(k in t for t in vocab.event_titles)),
            key=len, default="")):
        # 类型是考察的那场: the events of a kind no event's name says (推介会 is in their names: the names pick them)
        slots.event = kind  # (the tool matches a name or a kind)
        slots.spans.append((kind, "某活动"))
    if office := unknown_office(text, vocab):
        slots.unknown.append(("联络处", office))
        if slots.city and slots.city in office:
            slots.city = None  # 驻成都招商联络处 is no office of ours, whatever events were held in 成都
    if code := CODE.search(text):  # a record's 编号: the problem ledger's, or none the ledger holds
        held = {normalise_code(c): c for c in vocab.problem_codes}
        if normalise_code(code.group()) in held:
            slots.problem_code = held[normalise_code(code.group())]
            slots.spans.append((code.group(), "某问题"))
        elif _PROBLEM_WORDS.search(text) or not any(normalise_code(p) in normalise_code(code.group()) for p in vocab.projects):
            slots.unknown.append(("问题编号", code.group()))
    if not slots.chain and (chain := unknown_chain(text, vocab)):
        slots.unknown.append(("产业链", chain))
    company = None if slots.enterprise else unknown_company(text, vocab)
    if company and not any(span in company for span, _ in slots.spans):  # 供电公司 is the department 供电
        slots.unknown.append(("企业", company))
    # 签约还没开工的项目 is at 签约: a stage said not to be reached yet is not the one asked for
    # A级线索, B类线索 are a lead's grade (线索等级), not the 线索 stage
    # a step said with 了 inside it (签了约, 开了工, 投了产) is the step
    staged = re.sub(r"([签开动投竣])了([约工产])", r"\1\2", text)
    staged = re.sub(rf"(?:{_NOT_YET}|不)(?:开工|动工|投产|竣工|签约|签)|(?<![A-Za-z])[A-Za-z]\s*[级类档等](?:的)?(?:线索)?", "",
                    staged)
    for word, stage in _STAGE_WORDS.items():
        # 签约的项目, 签约阶段, 签约的那几个项目
        # …and the ones at a step asked to be listed (还在谈的有哪几个)
        if re.search(rf"(?:已|已经|还在|正在|处于|在){word}|{word}(?:的)?(?:[这那]?[几些]个?)?(?:阶段|项目)"
                     rf"|{word}的(?:都)?(?:有|是)?(?:哪|几)"
                     # (…or the ones of a set said first: 分管农业副市长包的项目里正在建的)
                     rf"|(?:项目|台账)[里中内](?:头|面|边)?[^，。？?]{{0,3}}{word}的"
                     rf"|项目\s*{word}(?!率|时间|日期|金额|额|了吗|没有|了没)", staged):
            slots.stage = stage
    if slots.stage == "签约" and _SIGNED_PROJECTS.search(staged) and not _AT_SIGNING.search(text):
        slots.stage = "已签约"  # 汉滨和旬阳签约项目加起来几个: the signed ones, 开工 and 投产 included
    # (of projects: named so, or by the ledger, a set pointed at or an amount of theirs — 签了约没开工的，总投资加起来多少)
    of_projects = _OF_PROJECTS.search(text) is not None
    # (…of the ledger's leads too: A级线索里还没签约的 are projects at 线索 or 在谈)
    if slots.stage is None and (of_projects or "线索" in text) and _NOT_SIGNED.search(text):
        slots.stage = "未签约"  # 还没签约的项目: the stages before 签约
    elif (slots.stage is None and _days(text) is None and of_projects and not _PAST_DUE_WORDS.search(text)
          and (short := _STEP_NOT_TAKEN.search(text))):
        # 哪个项目没开工, 还没投产的项目: the stages before that step; 签了约但还没开工的: at 签约
        step = _STAGE_WORDS[short.group(1)]
        signed = step == "开工" and re.search(r"签[了完]?约|签完|签了", text[: short.start()])
        slots.stage = "签约" if signed else "未" + step
    for word, status in _STATUS_WORDS:
        if word in text:
            slots.status = status
            break
    if slots.city and (owned := _OWNER_WORDS.search(text)):
        # the office named as who follows the enterprises, not whose visit records are asked for
        slots.owner, slots.city = slots.city, None
        status_at = next((text.find(w) for w, _ in _STATUS_WORDS if w in text), -1)
        if status_at >= 0 and owned.start() <= status_at + 3 and status_at <= owned.end():
            slots.status = None  # 北京联络处在跟踪的企业: 跟踪 says who follows them, not the 跟踪中 status
    if "总部" in text:  # 总部在深圳的企业: the companies' seat, not the office or the events of that city
        slots.hq = next((h for h in sorted(vocab.headquarters, key=len, reverse=True) if len(h) >= 2 and h in text), None)
        slots.city = None if slots.hq and slots.city and slots.city in slots.hq else slots.city
    if slots.city and _SOURCE_WORDS.search(text):
        # the office named as who brought the projects in, not whose visit records or events are asked for
        slots.source, slots.city = slots.city, None
    elif not slots.city and _SOURCE_WORDS.search(text) and (offices := _ANY_OFFICE.search(text)) \
            and not re.search(r"(?:哪家|哪个|哪一家|谁)[^，。？?]{0,3}首谈", text):  # (哪家首谈的最多: the offices compared)
        # 驻外联络处首谈的那些项目: every office's (the units the ledger writes with 联络处 or 分局)
        slots.source = "分局" if "分局" in offices.group(0) else "联络处"
        slots.spans.append((offices.group(0), "首谈单位"))
    if (unit := unit_named(text, vocab.units)) and not any(unit == name for name, _, _ in vocab.offices):
        # a section of the bureau (外资科, 产业链招商科) named as who follows enterprises or whose visits are asked;
        # an office is named by its city above
        if _OWNER_WORDS.search(text):
            slots.owner = slots.owner or unit
        elif _VISIT_WORDS.search(text):
            slots.unit = unit
    elif not unit and (_OWNER_WORDS.search(text) or _VISIT_WORDS.search(text)) and (
            section := _SECTION.search(text)) and not any(section.group(1) in u for u in vocab.units) \
            and not any(section.group(1)[-3:] in name for name in [*vocab.enterprises, *vocab.projects]):
        slots.unknown.append(("单位", section.group(1)))  # 投资促进科对接过哪些企业: no records name such a unit
    if re.search(r"企业|公司|客商", text) and _UNVISITED.search(text):
        slots.unvisited = True
    if _VISIT_WORDS.search(text):
        # a person of the visit records, where visits are asked (黄某今年走访了哪些企业): the same name as a 项目管家
        # elsewhere (黄某管哪些项目) is the ledger's, picked by its column
        slots.visitor = next((v for v in sorted(vocab.visitors, key=len, reverse=True) if v in text), None)
    if _OVERDUE.search(text):
        slots.overdue = True
    if _PARTS.search(text):
        slots.parts = True
    if _CHANGE.search(text) and not re.search(r"同比|增速|增幅", text):
        slots.change = True
    slots.category = _category(text, vocab.categories)
    slots.days = _days(text)
    slots.stuck_in = _stuck_in(text, slots.days)
    if slots.days is not None and _WITHIN_DAYS.search(text):
        slots.days_within = True
    if slots.days is not None and re.search(r"(?:没|未|无|不见)\S{0,3}(?:更新|进展|动静|推进|动)", text):
        slots.waited_since = "进展"
    if amount := _AMOUNT.search(text):
        number = amount.group(1) or amount.group(2)
        slots.amount = float(number) if number[0].isdigit() else chinese_value(number)
    if below := _AMOUNT_BELOW.search(text):
        bound = float(below.group(2) or below.group(3))
        inclusive = (below.group(1) or below.group(4)) in ("不超过", "未超过", "以下", "及以下", "以内", "之内")
        slots.amount_below = f"{bound:g}" + ("（含）" if inclusive else "")
    # projects with foreign money in them (外资项目, 带外资的, 含外资, 涉外资的项目)
    if re.search(r"外资项目|外商投资项目|外资的项目|(?:带|含|涉及?)外资|有外资(?:成分|的项目)", text):
        slots.foreign = True
    if _NO_FUNDS.search(text):
        slots.no_funds = True
    if (joined := _WITH_PROBLEMS.search(text)) and "项目" in text:
        slots.with_problems = True  # 驻外联络处首谈的那些项目里，还挂着没办完问题的有哪几个: the two ledgers joined
        slots.spans.append((joined.group(0), "有未办结问题"))
    if _OCCASION.search(text) and (occasion := _EVENT_ORDER.search(text)):
        # 签约金额最高的是哪场, 哪场签的项目最多: the events by that figure
        slots.order = "amount" if occasion.group(1) else "contracts"
    elif re.search(r"投资(?:额)?最[大多高]|最大的项目|投资规模最大|按投资", text):
        slots.order = "investment"
    elif re.search(r"投资(?:额)?最[小少低]|最小的项目|投资规模最小", text):
        slots.order = "investment_asc"
    elif _WHICH_PROJECT.search(text) and (funds := re.search(r"(?:到位资金|资金到位|到位)(?:额)?最([多大高少小低])", text)):
        # 哪个项目到位资金最多: the projects by the money arrived, each with it
        slots.order = "funds" if funds.group(1) in "多大高" else "funds_asc"
        slots.columns = _with_column(slots.columns, "到位资金")
    elif _WHICH_PROJECT.search(text) and _GAP.search(text):
        # 还差钱最多的是哪个项目: total investment less the funds arrived, each with both
        slots.order = "gap"
        slots.columns = _with_column(slots.columns, "到位资金")
        if slots.stage in ("签约", "已签约"):
            slots.stage = None  # (签了约的项目里…差钱最多: the signed ones, which the gap is of anyway)
    elif averaged := _SPAN_AVERAGE.search(text):
        # 签约到开工平均用了多少天: the projects by the days between the two steps, with the mean of those days
        first = _STEPS[averaged.group(1) or averaged.group(3) or averaged.group(5)]
        then = _STEPS[averaged.group(2) or averaged.group(4) or averaged.group(6)]
        if first != then:
            slots.order = f"{first}_to_{then}_slowest"
            slots.columns = _with_span_columns(slots.columns, slots.order)
    elif spanned := _SPAN_ORDER.search(text):
        # 哪个从开工到投产最快, 签约后多久开工的最慢: the projects by the days between the two steps, each with both dates
        first, then, most = _STEPS[spanned.group(1)], _STEPS[spanned.group(2)], spanned.group(3)
        if first != then:
            slots.order = f"{first}_to_{then}_{'slowest' if most in '慢长久多' else 'fastest'}"
            slots.columns = _with_span_columns(slots.columns, slots.order)
    elif spanned_by := _SPAN_BOUND.search(text):
        # 签约后超过45天才开工的: the projects whose two steps lie that far apart, longest (or shortest) first
        first, then = _STEPS[spanned_by.group(1)], _STEPS[spanned_by.group(5)]
        over = spanned_by.group(2) in ("超过", "多于", "过了", "满", "满了")
        n = int(_number(spanned_by.group(3)) * (1 if spanned_by.group(4) in ("天", "日") else 30))
        if first != then:
            slots.order = f"{first}_to_{then}_{'slowest' if over else 'fastest'}"
            slots.span_over, slots.span_under = (n, None) if over else (None, n)
            slots.days = None  # (the days bound the span, not a window of waiting)
            if slots.stage == spanned_by.group(5):
                slots.stage = None  # (才开工的: reached that step, whatever stage the project is at now)
            slots.columns = _with_span_columns(slots.columns, slots.order)
    elif order := _date_order(text):
        # 哪个开工最晚, 这俩哪个先开工的: the projects by the date of that step (shown with each, below)
        slots.order = order[0]
    slots.date_from, slots.date_to = _window(text, today)
    slots.due_from, slots.due_to = _due_window(text, today)
    if (on_chain := _KEY_CHAIN.search(text)) and "项目" in text and not slots.chain:
        slots.key_chain = not on_chain.group(1)
    slots.ledger_on = _ledger_on(text, today)
    # 6月底那期台账上有几个？现在多少个？多出来的是谁: that issue's rows and the latest issue's, side by side
    slots.vs_now = bool(slots.ledger_on and _NOW.search(text) and _THEN_NOW.search(text)) or None
    if _PROBLEM_WORDS.search(text) and not _stuck_in(text, slots.days):
        slots.problem_days, slots.problem_ledger_on = slots.days, slots.ledger_on
        if slots.problem_ledger_on is None and _STILL_OPEN.search(text):
            # 截至5月底还没办结的问题有几个: those raised by then and not yet solved then (from their dates)
            slots.problem_ledger_on = _day_of(_AS_OF_DAY.search(text), today)
        # 7.14那期问题台账上超期没办完的: that issue's open problems past their deadline on its day (the latest
        # issue's are the overdue list's own)
        slots.problem_overdue = True if slots.ledger_on and _PROBLEM_OVERDUE.search(text) else None
    if _OLDEST.search(text) and (_PROBLEM_WORDS.search(text) or "项目" not in text):
        slots.oldest = True  # (其中挂得最久的是哪个 after the open problems: of those, the one raised first)
    # 截至6月30号那期台账: the day names a ledger to read, not an end day of what happened
    slots.until = None if slots.ledger_on else _until(text, today)
    if slots.ledger_on:
        slots.date_from = slots.date_to = None
        # 7月14号那期和7月21号那期: the later issue named ends the window the change is read over
        issues = sorted({d for m in _LEDGER_ON.finditer(text) if (d := _day_of(m, today)) is not None})
        if len(issues) > 1:
            slots.ledger_on, slots.date_to = issues[0], issues[-1]
    slots.milestone = _milestone(text)
    if slots.milestone and slots.days is not None and slots.days_within and slots.date_from is None and today \
            and (reached := _REACHED_WITHIN.search(text)) and not _NOT_YET_AFTER.search(text, reached.end()):
        # 开工不到两个月的, 投产还不满90天的: the projects that took that step within the days, up to today (a step not
        # yet taken after it, 签约不到两个月还没开工的, is a wait, not a step taken)
        slots.date_from, slots.date_to = today - timedelta(days=slots.days - 1), today
        slots.days = slots.days_within = None
    slots.moved = bool(_MOVED.search(text)) or None
    # a column of the ledger, asked of each listed project: not a word inside the project's or company's name
    named = [s for s, _ in slots.spans if s in (slots.project or "") or s in (slots.enterprise or "")]
    bare_text = text
    for word in named:
        bare_text = bare_text.replace(word, "，")
    # the project ledger's columns; a problem's 进展 or 责任单位 is the problem ledger's, asked of its own tools; a
    # who-question about projects naming no column asks who is in charge (倒数第一是谁 asks no column)
    if _PROBLEM_WORDS.search(text) and (joined := _PROJECT_OF_PROBLEM.search(bare_text)):
        # 超期问题对应项目分别是哪位副市长包抓的: a column of each problem's project, from the project ledger
        tail = bare_text[joined.start():]
        slots.columns = list(dict.fromkeys([*ledger_columns(tail), *in_charge_columns(tail, said_only=True)])) \
            or None
    if not _PROBLEM_WORDS.search(text):
        # (…of projects named, or pointed back at: 这几个分别是谁首谈的)
        who = _WHO.search(bare_text) is not None and ("项目" in bare_text or re.match(r"(?:这|那)(?:几|些|俩|两|仨|三)", bare_text) is not None)
        # 哪位领导包抓的？项目管家是谁: the column said by its header (项目管家) and the one said by its own word (包抓)
        said = list(dict.fromkeys([*ledger_columns(bare_text), *(in_charge_columns(bare_text, said_only=True) if who else []),
                                   *(["约定开工期限"] if _DEADLINE_ASKED.search(bare_text) else []),
                                   *(f"{_STEP_DAY_WORDS[m.group(1) or m.group(2)]}日期"
                                     for m in _STEP_DAY_ASKED.finditer(bare_text)
                                     if not _DEADLINE_ASKED.search(bare_text) and "约定" not in bare_text)]))
        slots.columns = said or (in_charge_columns() if who else None)
        if slots.due_from is not None and slots.columns == ["约定开工期限"]:
            slots.columns = None  # 约定开工期限在4月份的项目: the deadline picks the projects, it is not asked of them
        filters, mentions = ledger_matches(_leader_area_said_out(bare_text), vocab.ledger_values)
        # a filter of a list only where projects are listed or counted (续建项目有哪些), not where a rule about
        # such projects is asked (新建项目当年资金到位率低于多少不得分)
        # …or where an amount of them is added up (续建项目今年到位了多少资金)
        # (an amount asked of the list, then a part of it pointed out, 总投资多少，其中A级的是哪个: the part's value
        # picks no rows of the total)
        totalled = asked_total(bare_text.split("其中")[0]) and not (
            "其中" in bare_text and ledger_matches(bare_text.split("其中")[0], vocab.ledger_values)[0] != filters)
        # (…其中A级的是哪个 asks which of the rows already picked, not a list picked by A级)
        listed = _LIST_ASK.search(bare_text.split("其中")[0] if "其中" in bare_text else bare_text)
        # (…or a mean or a spread of them asked: A级线索平均每个多大, B级线索分布在几个县区)
        slots.matches = filters if filters and (listed or totalled or slots.mean or slots.distinct
                                                or slots.per_group) else None
        # a rate of the projects picked (分管卫健的副市长包的那几个项目开工率) is the rate asked, not their list; a rule
        # about such projects' rate (新建项目当年资金到位率低于多少不得分) is neither
        rate_asked = not _RULE_ASKED.search(text) and (any(w in text for words in _RATE_WORDS.values() for w in words)
                                                       or _CHAIN_SHARE.search(text) is not None)
        if filters and rate_asked:
            slots.rated, slots.matches = filters, None
            if _NEW_FUNDS.search(text) and set(filters) == {"新建/续建"}:
                slots.rated = None  # 新建项目当年资金到位率: the new projects are the assessment measure's own
        promoted = _in_charge_of(bare_text, mentions)
        if promoted and rate_asked:  # 赵某管的那仨项目资金到位率: the rate of the person's projects
            slots.rated, slots.matches = {**(slots.rated or {}), **promoted}, None
        elif promoted:  # 黄某负责哪些项目: the one column the person holds is the column asked
            slots.matches = {**(slots.matches or {}), **promoted}
            mentions = {k: v for k, v in mentions.items() if k not in promoted}
        slots.mentioned = mentions or None
        chain_word = next((w for w, placeholder in slots.spans if placeholder == "某产业链"), None)
        if chain_word and any(chain_word in v for v in filters.values()):
            slots.chain = None  # 文旅 inside 分管文旅 (a leader's remit) names no chain
            slots.spans = [s for s in slots.spans if s[0] != chain_word]
    elif slots.with_problems:
        # 分管工业的副市长包抓的项目上还挂着几个没办结的问题: the projects with open problems, of those the ledger's
        # column picks (a who-value said with its verb of charge, 黄某管的项目, as well)
        filters, mentions = ledger_matches(_leader_area_said_out(bare_text), vocab.ledger_values)
        slots.matches = {**filters, **_in_charge_of(bare_text, mentions)} or None
    slots.rate = next((rate for rate, words in _RATE_WORDS.items() if any(w in text for w in words)), None)
    if slots.rate is None and _CHAIN_SHARE.search(text):
        slots.rate, slots.key_chain = "涉链占比", None  # (the share of the key chains' projects, not a filter on them)
    if slots.rate is not None and slots.key_chain is not None:
        # 5+3链上的项目开工率: the projects the rate is of, not a list of them
        slots.rated_key_chain, slots.key_chain = slots.key_chain, None
    if slots.rate is not None and slots.stage and slots.stage.lstrip("已") != "签约":
        # 在建项目的资金到位率: the projects the rate is of (签约项目的开工率 is the ledger's rate, of no narrower set)
        slots.rated_stage = slots.stage
    if slots.rate == "资金到位率" and _NEW_FUNDS.search(text):
        slots.rate = "新建项目当年资金到位率"  # 按考核口径（新建项目、当年到位）: the assessment's own measure
    slots.per_county = bool(PER_COUNTY.search(text)) or None
    filtered = (slots.stage or slots.chain or slots.matches or slots.foreign or slots.no_funds or slots.amount
                or slots.amount_below
                or slots.date_from or slots.ledger_on or slots.key_chain is not None)
    # (a total per group, 一季度哪个月签的项目最多, is asked whatever window picks the projects)
    grouped = asked_group(text) is not None
    slots.total = None if slots.rate or filtered and not FUNDS_WORDS.search(text) and not grouped else asked_total(text)
    if slots.total is None and not slots.rate and slots.stage and _BY_COUNTY.search(text) and not (
            filtered and not slots.stage):
        # 在建项目数量排前三的县区, 哪个县区签约项目最多: the counties' totals of the projects at that stage
        slots.total = asked_total(text)
    # 哪个项目管家手上的项目总投资最大, 各条产业链资金到位率: a total or a rate set side by side per group
    if slots.order in ("funds", "funds_asc"):
        slots.total = None  # which project has the most money in, not how much the projects have in all
    if slots.order in DATE_ORDER_COLUMNS:
        # 哪个项目签约最早: of the projects that signed, whatever stage they are at now; each with that date
        column = DATE_ORDER_COLUMNS[slots.order]
        slots.columns = _with_column(slots.columns, column)
        if slots.stage and column.startswith(slots.stage):
            slots.stage = None
    slots.group = asked_group(text) if slots.total or slots.rate else None
    slots.among = group_members(slots.group, text) if slots.group else None
    if (slots.total or slots.rate) and (named_groups := listed_groups(text, vocab)) and (
            slots.group in (None, named_groups[0]) and _EACH_ASKED.search(text)):
        # two or more values of one column named and each asked (线索等级A、B、C三档…各是多少, 文旅康养、生物医药这两条链
        # 各多少): those groups side by side, not the first value as a filter
        slots.group, slots.members = named_groups
        if slots.group == "产业链":
            slots.chain = None
            slots.spans = [sp for sp in slots.spans if sp[1] != "某产业链"]
        slots.rated = {k: v for k, v in (slots.rated or {}).items() if k != slots.group} or None
        slots.matches = {k: v for k, v in (slots.matches or {}).items() if k != slots.group} or None
        slots.columns = [c for c in slots.columns or [] if c != slots.group] or None
    if slots.group == "产业链" and slots.key_chain:
        slots.key_chain = None  # 8条重点产业链里哪条链总投资最少: the key chains are the groups compared, not a filter
    amounts = [a for a in asked_amounts(text) if a in LEDGER_COLUMNS] if slots.total else []
    slots.amounts = amounts or None
    if (filtered or slots.project or slots.enterprise) and amounts:
        # the amount columns added up over the projects a filter or a company picks: the list gives their totals
        # (今年到位资金 is the 当年到位资金 column, not also the cumulative 到位资金 its words contain); of one
        # project, its values
        kept = [c for c in slots.columns or [] if c not in amounts
                and not ("当年到位资金" in amounts and c == "到位资金")]
        slots.columns = [*kept, *amounts]
    slots.county_class = class_named(text, vocab.county_classes)
    if slots.county_class and (span := _class_span(text, slots.county_class)):
        slots.spans.append((span, "某类县区"))  # 第二类那六个县: the class, not a 县里 the database lacks
    if _PROBLEM_WORDS.search(text) and not _HOW.search(text):  # a 协调层级 only where problems are listed
        slots.escalation = next((e for e in sorted(vocab.escalations, key=len, reverse=True) if e in text), None)
    if re.search(r"已(?:经)?(?:解决|办结|销号)|办结了|解决了(?!吗|没)", text) and not re.search(r"没|未|尚未|还没|待", text):
        slots.solved = True
    if not slots.ledger_on and not slots.rate and _PREVIOUS_ISSUE.search(text):
        # 这期项目台账总投资比上期多了多少: the issue before the latest, set against the latest (a rate's change
        # between the two issues is rate-change's, asked by its own words)
        issues = vocab.issues.get("problems" if _PROBLEM_WORDS.search(text) else "projects", [])
        if len(issues) >= 2:
            slots.ledger_on = issues[-2]
            slots.vs_now = bool(_NOW.search(text) or _THEN_NOW.search(text)) or None
            if _PROBLEM_WORDS.search(text):
                slots.problem_ledger_on = slots.ledger_on
    return slots


# Each of several things asked (各是多少, 分别, 哪档最高, 谁多).
_EACH_ASKED = re.compile(r"各|分别|哪(?:个|档|条|家|位|级|类)|谁")


def listed_groups(text: str, vocab: SlotVocabulary) -> tuple[str, list[str]] | None:
    """(column, values) when the question names two or more values one groupable ledger column holds (A、B、C三档,
    文旅康养和生物医药): the groups it sets side by side. A one-letter value (a grade) counts only as a letter of its
    own (A、B两级), not inside a word."""
    columns: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [("产业链", vocab.chains)]
    columns += [(label, [(v, ()) for v in values]) for label, values in vocab.ledger_values.items()
                if label in GROUP_COLUMNS]
    for label, values in columns:
        found: list[tuple[int, str]] = []
        for name, aliases in values:
            for word in sorted((name, *aliases), key=len, reverse=True):
                m = re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])" if len(word) == 1 else re.escape(word), text)
                if word and m:
                    found.append((m.start(), name))
                    break
        names = [n for _, n in sorted(found)]
        if len(dict.fromkeys(names)) >= 2:
            return label, list(dict.fromkeys(names))
    return None


# A class of the 考核 scheme named (二类县区, 第三类单元, 考核第一类那三家, 第二类那六个县里): the class word with a
# word for the counties in it after it, or 考核 before it; a 一类线索 is a lead's grade, not a class of counties.
_CLASS_AFTER = r"(?:县区|区县|县|地区|单位|考核单元|单元|那|这|里|中|的县|的区|[0-9一二三四五六七八九十两几]+[个家])"


def class_named(text: str, classes: list[str]) -> str | None:
    """The scheme's county class a question names (一类 for 第一类), or None."""
    for c in classes:
        bare = c.removeprefix("第")
        # (同一类, 哪一类, 每一类 name no class; 一类线索, 二类项目 are kinds of leads and projects)
        named = rf"(?:第|(?<![同哪每这那某任])){bare}"
        if re.search(rf"{named}的?(?:线索|项目)", text):
            continue
        if re.search(rf"{named}(?={_CLASS_AFTER})|考核[^，。？?]{{0,4}}{named}", text):
            return c
    return None


def _class_span(text: str, county_class: str) -> str:
    """The words naming a class and its counties (考核第二类那六个县, 三类县区), for the placeholders."""
    bare = county_class.removeprefix("第")
    m = re.search(rf"(?:考核)?(?:第)?{bare}(?:[^，。？?里中比]{{0,6}}?(?:县区|区县|县|地区|单位|考核单元|单元|家))?", text)
    return m.group(0) if m else ""


def day_count(text: str) -> int | None:
    """Any day count in the text (60天, 两个月), in days."""
    return _days(text, bare=True)


__all__ = ["PROJECT_STAGES", "SlotVocabulary", "Slots", "calendar_window", "day_count", "fill_slots", "ledger_matches"]
