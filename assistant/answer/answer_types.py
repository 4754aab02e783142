"""What kind of answer a question wants, and whether a sentence holds one.

A question that asks 多久 is answered by a duration, 几条 by a count of 条, 什么时候 by a date, 比例 by a share,
多少钱 by an amount. A quote that matches the question's words but holds no such value (a sentence about 线索流转
with no number of 条) is related text, not an answer: the quoting prefers sentences that hold the value, and when
no passage does, the answer says so instead of passing related text off as the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.numbers import find_numbers

_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万半]+)"
# measure words that count things; the groups are words a document may use for the same count
_CLASSIFIERS = ["个", "家", "条", "项", "期", "次", "批", "场", "类", "种", "件", "户", "所", "座", "款", "份", "轮"]
# units of measure a count may be asked in (多少亩, 多少平方米, 多少人次); longest first
_UNITS = ["平方公里", "万平方米", "平方米", "公顷", "人次", "批次", "亩", "吨"]
_PEOPLE = "人名位"
# an approximate count (260余人, 40多家, 10来个) still states it
_ABOUT = r"(?:多|余|来)?"
# 5个工作日, 3个月 are durations, not a count of 个
_NOT_A_COUNT = r"(?!工作日|月|小时|百分点|星期|季度)"


@dataclass(frozen=True)
class AnswerType:
    name: str  # 时长 / 日期 / 数量 / 比例 / 百分点 / 金额 / 人数 / 姓名 / 名称 / 网址 / 地址 / 名次 / 计算方法 / 数值 / 处理规定 / 救济途径
    evidence: re.Pattern[str] | None  # None: any figure (a number that is not a date, an ordinal or a 文号)

    def held_by(self, sentence: str) -> bool:
        if self.evidence is None:
            return bool(find_numbers(sentence))
        return self.evidence.search(sentence) is not None


DURATION_Q = re.compile(r"多久|多长时间|多少天|几天|多少个?工作日|几个工作日|几个月|多少个月|几周|时限|期限是多|(?:多少|(?<!哪)几)年(?=$|[？?，,。！!内以的呢啊吧]|时间|期限|为限|有效|之内)")
# 多久报一次 is answered by a frequency (每月, 按季度) as well as by a number of days
DURATION = re.compile(rf"(?<![\d.第〇零一二两三四五六七八九十百千万半]){_NUM}\s*个?(?:工作日|日|天|周|星期|小时|个月|季度|年)(?<!\d{{4}}年)|"
                      r"每(?:个)?(?:周|星期|月|季度?|半年|年|旬|天|日)|按(?:周|月|季度?|年)")
WHEN_Q = re.compile(r"什么时候|何时|啥时候|哪一?天|几月几[日号]|几[号日]|截止(?:时间|日期)|哪一?年|多会儿|几月份?|哪个?月份?(?!底|末)")
# a day of the week (每周五前) dates a weekly deadline as 5日前 dates a monthly one
WHEN = re.compile(r"\d{1,2}月|\d{1,2}[日号]|\d{4}年|[次当本下上]年|[月年]底|[月年]末|季度末|[之以]前|前完成|截至|年内|"
                  r"(?:周|星期|礼拜)[一二三四五六日天]|(?:于|在)?[一二三四1-4]季度(?:内|末|前)?[印出发召举开完]|[上下]半年[印出发召举开完]")
# When something happens under a rule (什么时候消灭, 何时生效, 什么时候要报): answered by a span from an event.
RULE_WHEN = re.compile(r"(?:什么时候|何时|啥时候)(?:起|开始)?(?:消灭|失效|生效|届满|到期|终止|解除|起算|开始计算|算数|执行|施行|实施|"
                       r"要|应|须|必须)")
# 哪一天 / 几号 asks for a day: a year or a season (2024年, 春节后) is not one
DAY_Q = re.compile(r"哪一?天|几月几[日号]|几[号日]|具体日期|哪一日")
DAY = re.compile(r"\d{1,2}\s*[日号]|[一二三四五六七八九十]{1,3}[日号]|(?:周|星期|礼拜)[一二三四五六日天]|周末")
# 几月份 / 哪个月 asks for a month: a year alone (2024年计划开展…) is not one; a day, a 旬, a quarter or 春节后 is
MONTH_Q = re.compile(r"几月份?|哪个?月份?(?!底|末)|哪一个月")
MONTH = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|[上中下]旬|\d{1,2}\s*[日号]|[月年]底|[月年]初|季度|[上下]半年|春节|年中|年初")
# 哪一年 / 哪年 asks for a year: a day or a month (截至3月底) is not one
YEAR_Q = re.compile(r"哪一?年(?!度?(?:的)?(?:目标|数据|任务|考核结果))|几几年|什么年份|哪个年份")
# (a year written out: 今年起 says which year only with the document's date, not by itself)
YEAR = re.compile(r"\d{4}\s*年|(?<![\d.第])\d{2}年(?!代)|[〇零一二三四五六七八九]{4}年")
COUNT_Q = re.compile(rf"(?<![哪这那第])(?:几|多少)\s*((?:万)?(?:{'|'.join(_UNITS)})|[{''.join(_CLASSIFIERS)}{_PEOPLE}])")  # 哪几个 asks which, not how many; 这几类项目 points at things said, it asks no count
SHARE_Q = re.compile(r"比例|占比|比重|份额|百分之几|百分比|几成|多少%|率(?:是|为|要求|要|应|须|达到|不低于|不少于|至少)*多少")
SHARE = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|[一二三四五六七八九十]成|分之[一二三四五六七八九十]")
AMOUNT_Q = re.compile(r"多少钱|多少(?:万|亿)(?:元|美元|块)|多少个?亿(?=$|[？?，,。！!呢啊吧了])|多少(?:资金|外资|内资|投资|金额|美元)|奖励多少|补助多少|补贴多少|投了多少|投资多少|"
                      r"(?:预算|经费|费用|金额|价格|成本|投资额)(?:是|为|有|大概|一共)*多少|"
                      # a project's size is its investment (多大的项目才配管家, 规模多大)
                      r"多大(?:规模)?的项目|项目(?:规模|体量)(?:要|有|是)?多大")
# 怎么算 asks for a formula only of a quantity (开工率怎么算, 人均引进内外资怎么算); of anything else it asks how the thing
# is counted or credited (联络处的成绩怎么算 → 计入年度工作实绩), and 怎么算分 asks the rule
FORMULA_Q = re.compile(r"(?:率|比|比重|进度|强度|均|指数|增速|增幅|总额|总量|金额|资金|数)[^，,。？?]{0,6}?怎么算(?!分)"
                       r"|怎么计算|如何计算|如何核算|怎样计算|计算公式|计算方法|算法是")
FORMULA = re.compile(r"[＝=÷×/]|除以|乘以|之比|比值|相除|相乘|之和")
# a difference of two percentages asked in points (慢了几个点, 差多少个百分点): 15.4个百分点, not a count of 个
PCT_POINTS_Q = re.compile(r"(?<!哪)(?:几|多少)\s*个?\s*(?:百分)?点(?![钟儿])")
PCT_POINTS = re.compile(r"\d+(?:\.\d+)?\s*个?百分点")
# The thing a count counts, written after its classifier (多少条企业反映的问题 → 问题): its last two characters.
COUNTED_NOUN = re.compile(r"[\u4e00-\u9fa5]{0,8}?([\u4e00-\u9fa5]{2})(?=[，,。？?！!]|$)")
# A count inside where something was done, the question asking what (在几个库上面做了啥, 从几个方面抓了什么): the
# things done, which a passage writes in prose — not the number of places.
LOCATIVE_COUNT = re.compile(r"(?:在|从|对|就)(?:几|多少)个[^，。？?]{1,6}(?:上面?|里面?|方面|中)[^，。？?]*(?:啥|什么|哪些)")
HEADCOUNT_Q = re.compile(r"(?<!哪)(?:几|多少)\s*个\s*人")
PEOPLE_Q = re.compile(r"(?<!哪)(?:几|多少)\s*[\u4e00-\u9fff]{0,4}?(?:人员|干部|员工|职工|工作人员)")
# any other 多少 / 几 (控制指标定的多少, 排第几 aside) asks for a number of some kind
NUMBER_Q = re.compile(r"(?<![哪第])(?:多少|(?<![这那])几)(?!乎)")
PEOPLE = re.compile(rf"(?<![\d.第〇零一二两三四五六七八九十百千万半]){_NUM}\s*{_ABOUT}[{_PEOPLE}]")
# points of a score (占几分, 加几分, 得多少分): 8分, not a share or a count
POINTS_Q = re.compile(r"(?<!哪)(?:几|多少)\s*分(?![钟之析别散])")
POINTS = re.compile(r"\d+(?:\.\d+)?\s*分(?![钟之析别散])")
AMOUNT = re.compile(rf"{_NUM}\s*(?:万|亿)?(?:元|美元)")
# A quantity asked in a unit of tens of thousands or hundreds of millions (多少亿斤, 多少万吨, 多少万辆): a figure in that
# unit, whatever the unit (a report may write 1.2万吨 or 12000吨). 多少万 alone may count money or people: any figure.
QUANTITY_Q = re.compile(r"(?<!哪)(?:几|多少)\s*(?:万|亿)\s*([\u4e00-\u9fff])")
_NOT_A_UNIT = "元美块钱的了呢啊吧吗呀左上多"
# A person asked for by name (叫什么名字, 局长是谁): a body (由谁负责, 哪个部门) is not a person.
_ROLES = ("局长|主任|书记|市长|县长|区长|负责人|联系人|链长|管家|领导|经理|董事长|专员|人员"
          "|站长|处长|科长|会长|秘书长|理事长|院长|所长|行长|组长|队长")
# 项目管家是什么 asks what the role is (a definition), 项目管家叫什么 / 是谁 who holds it.
PERSON_Q = re.compile(rf"(?:{_ROLES})(?:(?:是|为|都是|分别是)?(?:谁|哪位|哪几位)|叫(?:什么|啥)"
                      r"|(?:的|叫)?(?:什么名字|啥名字|名字|姓名|姓什么|姓啥))"
                      rf"|哪(?:一)?位[\u4e00-\u9fa5]{{0,6}}?(?:{_ROLES})")
# A person's name as documents write it: a role then the name (局长周立衡, 联系人：陈思远), or a surname and 某 (刘某).
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
             "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
PERSON = re.compile(rf"(?:{_ROLES})[：:\s]*[{_SURNAMES}][\u4e00-\u9fa5]{{1,2}}(?=[\s，,。；;、：:）)电谈说表介指强带主在]|$)|[{_SURNAMES}]某")


# A place in an order asked (在全省排第几位, 名次多少): answered by an ordinal (第五位, 首位).
# The place of a thing among others asked (排第几, 第几名, 名次, 位次): the one definition, for the answer type, the
# stated place and a change of place (办到第几期 is a count). A bare 排名 asks a place only where the thing ranked is
# named (汉阴县外资排名, 在全省排名): alone (资金到位率排名) it asks for the whole ranking. understand.RANK is the
# broader family that also asks for a ranking with no thing named (最高, 前三, 倒数).
POSITION_ASKED = re.compile(r"排(?:在|到)?第几|第几(?:位|名)|名次|位次|排名(?:多少|怎么样|如何|情况)")
NAMED_POSITION = re.compile(rf"{POSITION_ASKED.pattern}|排名|排位")
ORDINAL = re.compile(r"第\s*[一二三四五六七八九十\d]+\s*(?:位|名)?|首位|榜首|居首|前列|末位|倒数")
# A name asked of a thing (那家企业叫什么名字, 平台的名称是什么): answered by a proper name — quoted, a title, or a
# body's name with its kind (…有限公司, …集团, …商会) — not by a sentence saying 一家园区运营企业.
NAME_Q = re.compile(r"叫(?:什么|啥)(?:名字|名称)?|(?:什么|啥)名(?:字|称)|名称是(?:什么|啥)|全称")
NAME = re.compile(r"“[^”]{2,30}”|《[^》]{2,40}》|[\u4e00-\u9fa5A-Za-z]{2,}(?:有限公司|股份|集团|公司|银行|大学|学院|研究院|"
                  r"协会|商会|基金)|[A-Z][A-Za-z]{2,}")


# Where a place is, to the street (具体地址, 在哪办公, 办公地点): a sentence with an address — a road, a number, a
# building — not one naming the city an office is in.
ADDRESS_Q = re.compile(r"(?:具体|详细|办公|通讯|联系)?地址|在哪(?:个区|条路|条街|栋楼?)?办公|办公(?:地点|场所|的地方)|门牌")
ADDRESS = re.compile(r"[\u4e00-\u9fa5]{1,8}(?:路|街|大道|巷)\s*\d+\s*号|\d+\s*号(?:楼|院)|大厦|写字楼|\d+\s*(?:室|层|楼)")


# What follows a breach (会咋处理, 会不会被通报, 会不会挨处理): a sentence stating a consequence (or that none follows,
# 容错免责) answers it — not the rule that was breached (信息员变动3个工作日内报备 says nothing of what happens if not).
CONSEQUENCE_Q = re.compile(r"会(?:咋|怎么|如何)(?:处理|处置|追责|处罚)|会不会(?:被|挨)?(?:通报|处理|处罚|扣分|追责|问责|约谈|处分)"
                           r"|(?:受|挨)(?:什么|啥)(?:处理|处分|处罚)")
CONSEQUENCE = re.compile(r"(?:予以|在全市|全市|点名|进行)通报|通报批评|扣\s*\d*\s*分|扣分|约谈|追责|问责|追究|处分|处罚|"
                         r"(?:严肃|依规|依纪|依法|从严)处理|一票否决|不合格等次|取消|收回|责令|免责|容错|不予|"
                         r"提醒函|督办函?|挂牌督办|限期整改|整改")
# Where to turn after a decision or a breach (还能往哪儿申诉, 能不能去法院起诉): a sentence naming such a remedy.
REMEDY_Q = re.compile(r"(?:往|向|去|找)哪儿?里?(?:申诉|投诉|复议|上诉)|(?:去|到|向)法院|起诉|打官司|仲裁")
REMEDY = re.compile(r"申诉|复议|复核|诉讼|起诉|仲裁|法院|投诉")


# Two ways offered for the answer to be one of (抽几个县还是全覆盖, 按到位还是按合同).
# (复核了还是不服，还能往哪儿申诉: 还是 is "still" there, the clause goes on)
CHOOSES = re.compile(r"[\u4e00-\u9fa5\d]还是[\u4e00-\u9fa5]{1,10}?(?:呢|啊|吗|呀)?(?:[。？?！!]|$)")


# A web address asked (网址是啥, 入口链接, 在哪个网站): a sentence writing one (http…, www.…, ….gov.cn).
URL_Q = re.compile(r"网址|网站地址|链接|入口地址|哪个网站|网页地址|二维码")
URL = re.compile(r"https?://|www\.|\.(?:gov\.cn|com|cn|org|net)\b|二维码")


def answer_type(question: str) -> AnswerType | None:
    """The kind of value the question asks for, or None when it asks for prose (措施, 怎么办, 是什么)."""
    if CHOOSES.search(question):
        return None  # 抽几个县还是全覆盖: one of the two ways the question offers, which need not be a count
    if FORMULA_Q.search(question):
        return AnswerType("计算方法", FORMULA)
    if PERSON_Q.search(question):
        return AnswerType("姓名", PERSON)
    if NAME_Q.search(question):
        return AnswerType("名称", NAME)
    if URL_Q.search(question):
        return AnswerType("网址", URL)
    if ADDRESS_Q.search(question):
        return AnswerType("地址", ADDRESS)
    if POSITION_ASKED.search(question):
        return AnswerType("名次", ORDINAL)
    if REMEDY_Q.search(question):
        return AnswerType("救济途径", REMEDY)
    if CONSEQUENCE_Q.search(question):
        return AnswerType("处理规定", CONSEQUENCE)
    if DURATION_Q.search(question):
        return AnswerType("时长", DURATION)
    if DAY_Q.search(question):
        return AnswerType("日期", DAY)
    if YEAR_Q.search(question):
        return AnswerType("年份", YEAR)  # 哪一年开始搞的: a year, not a month or a 截至 of the passage
    if MONTH_Q.search(question):
        return AnswerType("日期", MONTH)  # 几月份搞: a month (or a day, a quarter), not the year the question names
    if WHEN_Q.search(question):
        # a rule says when by a span from an event (自…之日起5年内, 期限届满后): that is its date
        return AnswerType("日期", re.compile(f"{WHEN.pattern}|{DURATION.pattern}|之日起|届满") if RULE_WHEN.search(question)
                          else WHEN)
    if (share := SHARE_Q.search(question)) and not ((points := POINTS_Q.search(question)) and points.start() > share.end()):
        # (制造业到位资金占比那项几分: the share names the item, 几分 asks its points)
        return AnswerType("比例", SHARE)
    if AMOUNT_Q.search(question):
        return AnswerType("金额", AMOUNT)
    if (m := QUANTITY_Q.search(question)) and m.group(1) not in _NOT_A_UNIT:
        return AnswerType("数量", re.compile(rf"(?<![\d.第〇零一二两三四五六七八九十百千万半]){_NUM}\s*{_ABOUT}(?:万|亿)?\s*{re.escape(m.group(1))}"))
    if PCT_POINTS_Q.search(question):
        return AnswerType("百分点", PCT_POINTS)
    if HEADCOUNT_Q.search(question):  # 几个人 counts people (2名), not things
        return AnswerType("人数", PEOPLE)
    if POINTS_Q.search(question):
        return AnswerType("分值", POINTS)
    if LOCATIVE_COUNT.search(question):
        return None
    if m := COUNT_Q.search(question):
        asked = m.group(1)
        unit = f"[{_PEOPLE}]" if asked in _PEOPLE else re.escape(asked.removeprefix("万"))
        counted = rf"(?<![\d.第〇零一二两三四五六七八九十百千万半]){_NUM}\s*{_ABOUT}(?:万)?{unit}{_NOT_A_COUNT}"
        # …or in the general classifier right after the thing counted (多少条企业反映的问题 → 企业问题诉求146个)
        if asked in _CLASSIFIERS and asked != "个" and (noun := COUNTED_NOUN.match(question, m.end())):
            counted += rf"|{noun.group(1)}[\u4e00-\u9fa5]{{0,4}}{_NUM}\s*{_ABOUT}个{_NOT_A_COUNT}"
        return AnswerType("数量", re.compile(counted))
    if PEOPLE_Q.search(question):
        return AnswerType("人数", PEOPLE)
    if NUMBER_Q.search(question):
        return AnswerType("数值", None)
    return None


def names_the_value(question: str, word: str) -> bool:
    """Whether a word of the question is how it asks for a date or a duration (截止时间, 多长时间), not a thing
    asked about: a quote answers it by holding such a value (answer_type), not by naming the word."""
    return any(word in m.group(0) for pattern in (WHEN_Q, DURATION_Q, LEVEL_Q) for m in pattern.finditer(question))


# A level asked for by its name (门槛是多大投资, 起点是多少, 上限多少): a quote answers it with the level (五亿元以上,
# 最高不超过50万元), not by writing 门槛.
LEVEL_Q = re.compile(r"(?:门槛|起点|下限|上限|起步线)(?:是|为|定在|设在|定的|有)?(?:多少|多大|多高|几|啥|什么)")


# The noun right after a which-word names the kind of thing the answer lists (哪几种招商方式, 哪些城市, 什么口号): a
# passage lists the members (产业链定向招商、清单式目标招商…) without writing the kind's name.
_WHICH_KIND = re.compile(r"(?:哪几|哪些|哪一|哪|什么|啥)(?:个|种|类|项|条|家|位|批|样|方面)?([\u4e00-\u9fff]{1,4})")
_KIND_STOP = re.compile(r"[的了是吗呢都要在来去有和与及或呀啊]")
# 这条链, 那个办法, 该项目: a thing named again by pointing at it, not a new thing asked about
_POINTED = re.compile(r"[这那该此](?:个|条|项|家|份|场|批|些|位|种|类)[\u4e00-\u9fff]")


def names_the_kind(question: str, word: str) -> bool:
    """Whether a word of the question only names the kind of the things asked for (方式 in 哪几种招商方式) or points
    back at a thing already named (条链 in 这条链): a quote answers it by listing the members or by speaking of that
    thing, not by writing the word."""
    for m in _WHICH_KIND.finditer(question):
        kind = _KIND_STOP.split(m.group(1))[0]
        if kind and word in kind:
            return True
    return any(word in m.group(0)[1:] for m in _POINTED.finditer(question))
