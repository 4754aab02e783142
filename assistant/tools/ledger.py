"""Event and problem-ledger tools."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue
from assistant.db.models import Event, Problem, Region
from assistant.db.session import FigureStore
from assistant.db.units import to_decimal
from assistant.db.vocab import normalise_name
from assistant.index.places import within
from assistant.tools.assessment import class_label, class_members
from assistant.tools.common import department_key, period_of, provenance, resolve_region, scoped_region
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date, format_value, solved_on, window_label


class EventItem(BaseModel):
    id: int
    held_on: date
    city: str
    title: str
    category: str | None
    leaders: str | None
    contracts_signed: int | None
    amount_yi_yuan: float | None
    note: str | None


def _noted(note: str | None) -> str:
    """What an event's 备注 records of it (其中投资协议4.1亿元…, 另签协议7个), without where the row came from (见《…》)
    or that it is sample data."""
    parts = [p.strip() for p in re.split(r"[；;]", note or "") if p.strip()]
    return "；".join(p for p in parts if not p.startswith("见") and "示例" not in p and "以原文为准" not in p)


class EventList(BaseModel):
    period: str | None
    city: str | None
    items: list[EventItem]
    event_count: int
    contracts_total: int | None
    amount_total_yi_yuan: float | None
    without_figures: int
    figures: list[Figure]
    provenance: Provenance
    summary: str


EVENTS_NAMED = 8  # up to this many events, the summary names each
# An events list's order: the item's field, how it is said, its unit ("investment" is how a question says the amount)
EVENT_ORDERS = {"amount": ("amount_yi_yuan", "签约金额", "亿元"), "investment": ("amount_yi_yuan", "签约金额", "亿元"),
                "contracts": ("contracts_signed", "签约项目数", "个")}


@figure_tool(
    "招商活动：场次、签约项目数、签约金额",
    examples=[
        "2019年举办了哪些推介会", "雄安推介会签约了多少项目", "今年外出招商活动有几场", "招商推介会签约金额合计",
        "在深圳办过什么招商活动", "一季度的招商活动", "去过哪些城市开推介会", "2019年下半年办了几场推介会",
        "哪场推介会签约金额最高", "签约项目最多的是哪场活动", "今年的推介会平均一场签多少个亿",
    ],
    slots={"leaders": "leaders"},
    path="events",
)
def list_events(store: FigureStore, period: str | None = None, city: str | None = None,
                event: str | None = None, date_from: date | None = None, date_to: date | None = None,
                order: str | None = None, leaders: bool = False, mean: bool = False) -> EventList:
    """列出招商活动（推介会、考察、展会等）及签约项目数、签约金额（亿元）合计。

    period：可选，如“2023Q1”“2019”，只列该累计期间内举办的活动；city：可选，举办城市，如“雄安”“三亚”（包含即可），或省份，如“广东”（列出在该省各城市举办的活动）；
    event：可选，活动名称中有区分度的部分，如“丝博会”“包装饮用水”，或举办城市，或活动类型（推介会、考察、展会…），
    只列名称（或举办地）含它、或属于该类型的活动；
    date_from、date_to：可选，举办日期范围，如“2019-07-01”到“2019-12-31”（下半年、某月、某季度内举办的）；
    order：可选，“amount”按签约金额从高到低、“contracts”按签约项目数从多到少排列（未报道的排在最后），并写明第一与第二之差；
    leaders：可选，为真时逐场写出出席（带队）领导；
    mean：可选，为真时写出平均每场的签约项目数和签约金额（合计 ÷ 报道了该项的场次）。
    未报道签约数的活动不计入合计，也不当作 0。
    """
    by = EVENT_ORDERS.get(order or "")
    if order and by is None:
        raise InvalidValue(f"排序“{order}”无效，可选：amount（签约金额）、contracts（签约项目数）。")
    # a window said in days (下半年, 4到6月) is the span asked; the cumulative period beside it is its year
    p = None if date_from or date_to else period_of(period)
    with store.session() as session:
        stmt = select(Event)
        if p:
            stmt = stmt.where(Event.held_on >= p.start, Event.held_on <= p.end)
        if date_from:
            stmt = stmt.where(Event.held_on >= date_from)
        if date_to:
            stmt = stmt.where(Event.held_on <= date_to)
        events = sorted(  # in Python: Chinese collation differs between SQLite and PostgreSQL
            # 广东 holds the events held in 广州 and 汕头
            (e for e in session.scalars(stmt) if (not city or normalise_name(city) in normalise_name(e.city)
                                                  or within(e.city, city))
            # an event by its name or by where it was held (宁波那场)
            and (not event or event in e.title or event in e.city or event == e.category)),
            key=lambda e: (e.held_on, e.title),
        )
        prov = provenance(session, "events", [(e.id, e.import_id) for e in events], p,
                          "合计只计入已报道签约数、签约金额的活动")
        items = [
            EventItem(id=e.id, held_on=e.held_on, city=e.city, title=e.title, category=e.category, leaders=e.leaders,
                      contracts_signed=e.contracts_signed, amount_yi_yuan=e.amount_yi_yuan, note=e.note)
            for e in events
        ]
    contracts = [e.contracts_signed for e in items if e.contracts_signed is not None]
    amounts = [to_decimal(e.amount_yi_yuan) for e in items if e.amount_yi_yuan is not None]
    contracts_total = sum(contracts) if contracts else None
    amount_total = float(sum(amounts)) if amounts else None
    without = sum(1 for e in items if e.contracts_signed is None and e.amount_yi_yuan is None)
    when = window_label(date_from, date_to) or (p.label if p else "全部")
    scope = "".join(filter(None, [when, city, f"“{event}”" if event else None]))
    figures = [
        # no row is no record, not a count of zero: the table holds the events someone entered (无数据, as the summary)
        Figure(label=f"{scope}招商活动 场次", value=len(items) or None, unit="场", period=p.key if p else None,
               provenance=prov),
        Figure(label=f"{scope}招商活动 签约项目数", value=contracts_total, unit="个", period=p.key if p else None,
               provenance=prov),
        Figure(label=f"{scope}招商活动 签约金额", value=amount_total, unit="亿元", period=p.key if p else None,
               provenance=prov),
    ]
    ranked = ""
    if by is not None and items:
        # 签约金额最高的是哪场: the events by that figure, the first set against the second
        attr, label, unit = by
        known = sorted((e for e in items if getattr(e, attr) is not None), key=lambda e: -float(getattr(e, attr)))
        items = known + [e for e in items if getattr(e, attr) is None]
        if known:
            top = known[0]
            ranked = (f"{scope}招商活动中{label}最{'高' if attr == 'amount_yi_yuan' else '多'}的是{cn_date(top.held_on)}"
                      f"在{top.city}举办的{top.title}（{format_value(getattr(top, attr), unit)}）")
            if len(known) > 1:
                second = known[1]
                gap = float(to_decimal(getattr(top, attr)) - to_decimal(getattr(second, attr)))
                ranked += (f"，比第2名{second.title}（{format_value(getattr(second, attr), unit)}）"
                           f"多{format_value(gap, unit)}")
                figures.append(Figure(label=f"{label}第1名与第2名之差", value=gap, unit=unit,
                                      period=p.key if p else None, provenance=prov))
            ranked += "。"
    if leaders and items and not any(e.leaders for e in items):
        # 那场活动是哪位市领导带队: who led is asked and no record of these says — that, not their signing figures
        summary = (f"活动台账没有记录{scope}招商活动的出席（带队）领导（无数据）："
                   + "；".join(f"{cn_date(e.held_on)}在{e.city}举办{e.title}" for e in items[:EVENTS_NAMED]) + "。")
        return EventList(period=p.key if p else None, city=city, items=items, event_count=len(items),
                         contracts_total=None, amount_total_yi_yuan=None, without_figures=without, figures=[],
                         provenance=prov, summary=summary)
    averaged = ""
    if mean and items:
        # 平均一场签多少个亿: each total over the events that reported it (an unreported one is not a zero)
        means = [(label, round(float(total) / len(known), 2), unit, total, len(known))
                 for label, total, unit, known in (("签约项目数", contracts_total, "个", contracts),
                                                   ("签约金额", amount_total, "亿元", amounts)) if known and total is not None]
        averaged = f"{scope}招商活动" + "，".join(
            f"平均每场{label} {format_value(m, unit)}（{format_value(total, unit)} ÷ {n} 场）"
            for label, m, unit, total, n in means) + "。" if means else ""
        figures += [Figure(label=f"{scope}招商活动 平均每场{label}", value=m, unit=unit, period=p.key if p else None,
                           provenance=prov.model_copy(update={"formula": f"平均每场{label} = {label}合计 ÷ 报道了"
                                                                         f"{label}的场次（{n} 场）"}))
                    for label, m, unit, _, n in means]
    if items:
        summary = averaged + ranked + (f"{scope}招商活动 {len(items)} 场，签约项目 {format_value(contracts_total, '个')}，"
                   f"签约金额 {format_value(amount_total, '亿元')}")
        summary += f"（其中 {without} 场未报道签约数据）" if without else ""
        if len(items) <= EVENTS_NAMED:  # a few events are named, each with where and when
            # (with who led it, as the record writes it, when asked: 市长、市政协主席带队)
            summary += "：" + "；".join(f"{cn_date(e.held_on)}在{e.city}举办{e.title}"
                                       + "".join(f"（{said}）" for said in (
                                           f"出席领导：{e.leaders or '台账未记录'}" if leaders else "", _noted(e.note))
                                                 if said) for e in items)
        summary += "。"
    else:
        summary = f"{scope}招商活动：无数据。"
    return EventList(period=p.key if p else None, city=city, items=items, event_count=len(items),
                     contracts_total=contracts_total, amount_total_yi_yuan=amount_total, without_figures=without,
                     figures=figures, provenance=prov, summary=summary)


class ProblemFacts(BaseModel):
    """What every view of a problem says about it, in this order (the list and the window of moves)."""
    id: int
    code: str
    project: str | None
    region: str
    description: str
    department: str
    status: str

    @staticmethod
    def of(pb: Problem, region: str) -> dict[str, Any]:
        return {"id": pb.id, "code": pb.code, "project": pb.project_name, "region": region,
                "description": pb.description, "department": pb.department, "status": pb.status}


def problem_timing(opened_on: date, due_on: date | None, closed_on: date | None, day: date) -> tuple[str, str]:
    """When an open problem was raised and how long it has waited by the ledger's day (挂了多少天), and its 办结时限
    with the days left to it or past it (离办结时限还剩几天): the one wording every view of a problem uses."""
    still_open = closed_on is None
    opened = f"提出于{cn_date(opened_on)}" + (f"（截至台账日期已 {(day - opened_on).days} 天）"
                                            if still_open and opened_on <= day else "")
    if due_on is None or not still_open:
        return opened, ""
    left = (due_on - day).days
    return opened, f"办结时限{cn_date(due_on)}" + (f"（已逾期 {-left} 天）" if left < 0 else
                                                  f"（距台账日期还剩 {left} 天）" if left else "（台账日期当天到期）")


class ProblemItem(ProblemFacts):
    opened_on: date
    closed_on: date | None = None
    as_of: date | None = None  # the ledger's day the item is seen on
    # the workflow columns of the ledger, said with every listed problem
    due_on: date | None = None  # 办结时限
    overdue_days: int | None = None  # open past its 办结时限 on the ledger date
    escalation: str | None = None  # 协调层级
    evaluation: str | None = None  # 企业评价 of a solved problem
    latest_progress: str | None = None  # the newest 办理进展, with its date


def problems_in(store: FigureStore, session: Session, region: str | None
                ) -> tuple[Select[Problem, Region], str | None]:
    """The problem ledger's (problem, region) rows of the region asked, within the account's own region (all the city
    for 全市 or no region), and the name of the region resolved (None when none was asked)."""
    stmt = select(Problem, Region).join(Region, Problem.region_id == Region.id)
    region = scoped_region(store, session, region)
    if not region:
        return stmt, None
    reg = resolve_region(session, region)
    return (stmt if reg.is_city else stmt.where(Problem.region_id == reg.id)), reg.name


def normalise_code(code: str) -> str:
    """WT-2023-003, wt 2023－003, WT_2023_003 → WT2023003: how a record's 编号 is compared."""
    return re.sub(r"[\s\-_－—]", "", code).upper()


def _waited_from(session: Session, problems: list[Problem], since: str, day: date) -> dict[int, date]:
    """The day each problem has waited from: its 提出日期, or with `since` 进展 its newest 办理进展 up to `day` (the
    提出日期 when none was noted)."""
    waited = {pb.id: pb.opened_on for pb in problems}
    if since == "进展":
        from assistant.db.models import ProblemProgress
        for problem_id, noted in session.execute(
                select(ProblemProgress.problem_id, func.max(ProblemProgress.noted_on))
                .where(ProblemProgress.problem_id.in_(list(waited) or [0]), ProblemProgress.noted_on <= day)
                .group_by(ProblemProgress.problem_id)):
            waited[problem_id] = max(waited[problem_id], noted)
    return waited


def handled_by(problem: Problem, department: str | None) -> bool:
    """The problem's 责任单位 is the department asked (its name or a common short form: 发改委), or none was asked."""
    return not department or department_key(department) in normalise_name(problem.department)


def _problem_line(item: ProblemItem) -> str:
    project = f"{item.project}，" if item.project else ""
    closed = f"，{solved_on(item.opened_on, item.closed_on, due=item.due_on)}" if item.closed_on else ""
    opened, due = problem_timing(item.opened_on, item.due_on, item.closed_on, item.as_of) if item.as_of else ("", "")
    flow = [opened, due,
            f"协调层级{item.escalation}" if item.escalation else "",
            f"企业评价“{item.evaluation}”" if item.evaluation else "",
            f"最新进展：{item.latest_progress}" if item.latest_progress and not item.closed_on else ""]
    shown = "，".join(f for f in flow if f)
    return (f"{item.code}（{item.region}，{project}{item.department}）{item.description}，{item.status}{closed}"
            + (f"（{shown}）" if shown else ""))


def _problem_items(session: Session, rows: list[tuple[Problem, Region]], on: date | None = None
                   ) -> list[ProblemItem]:
    """The listed problems with their workflow columns: 办结时限 (overdue as of the ledger date), 协调层级, 企业评价
    and the newest 办理进展. `on`: as the ledger of that day stood — progress noted by then, a problem solved later
    still open (未办结) and overdue counted to that day."""
    from assistant.db.models import ProblemProgress
    from assistant.tools.lifecycle import ledger_date

    day = on or ledger_date(session)
    latest: dict[int, str] = {}
    for note in session.scalars(select(ProblemProgress).where(
            ProblemProgress.problem_id.in_([pb.id for pb, _ in rows] or [0]), ProblemProgress.noted_on <= day)
            .order_by(ProblemProgress.noted_on)):
        latest[note.problem_id] = f"{cn_date(note.noted_on)}{note.text}"
    items = []
    for pb, rg in rows:
        closed = pb.closed_on if pb.closed_on and pb.closed_on <= day else None
        facts = ProblemFacts.of(pb, rg.name) | ({"status": "未办结"} if pb.closed_on and not closed else {})
        items.append(ProblemItem(**facts, opened_on=pb.opened_on, closed_on=closed, as_of=day, due_on=pb.due_on,
                                 escalation=pb.escalation, evaluation=pb.evaluation if closed else None,
                                 overdue_days=(day - pb.due_on).days if pb.due_on and not closed and pb.due_on < day
                                 else None, latest_progress=latest.get(pb.id)))
    return items


class CountItem(BaseModel):
    name: str
    count: int


class ProblemList(BaseModel):
    region: str | None
    department: str | None
    items: list[ProblemItem]
    open_count: int
    by_department: list[CountItem]
    by_region: list[CountItem]
    provenance: Provenance
    summary: str
    figures: list[Figure] = []  # the count said in the summary, with its source (none when nothing matched)


@figure_tool(
    "问题台账：未解决的问题，按地区、责任部门",
    examples=[
        "问题台账里还有哪些问题没解决", "市发改委负责的问题还有哪些", "恒口有哪些待解决的问题",
        "自然资源局牵头的问题办完了没有", "项目落地遇到的问题清单", "未解决的问题有多少个",
        "各部门还有几个问题没办结", "企业反映的问题诉求办理情况", "需要市级协调的问题有哪些",
        "上了联席会议的问题清单", "汉滨区的项目遇到了什么困难和问题", "提出超过两个月还没解决的问题",
        "超过半个月没更新办理进展的问题", "挂了很久一直没办结的诉求有几个", "没解决的问题里哪个挂得最久",
    ],
    slots={"opened_from": "date_from", "opened_to": "date_to", "since": "waited_since", "code": "problem_code",
           "days": "problem_days", "ledger_on": "problem_ledger_on", "about": "problem_about",
           "overdue": "problem_overdue", "county_class": "county_class"},
    path="problems",
)
def open_problems(store: FigureStore, region: str | None = None, department: str | None = None,
                  escalation: str | None = None, opened_from: date | None = None,
                  opened_to: date | None = None, ledger_on: date | None = None, days: int | None = None,
                  since: Literal["提出", "进展"] = "提出", code: str | None = None, oldest: bool = False,
                  about: list[str] | None = None, overdue: bool = False,
                  county_class: str | None = None) -> ProblemList:
    """问题台账中尚未解决（未解决、推进中）的问题，可按地区、责任部门、协调层级或提出日期筛选，并按部门、地区计数；
    每个问题写明办结时限（是否逾期）、协调层级和最新办理进展。

    region：可选，地区名或简称；department：可选，责任部门名称或常用简称，如“自然资源局”“发改委”“市人社局”；
    escalation：可选，协调层级，如“县级”“市级”“市级联席会议”（提交联席会议协调的问题）；
    opened_from、opened_to：可选，提出日期范围，如“2023-07-22”到“2023-07-28”（本周新提出的问题）；
    ledger_on：可选，某一期问题台账的日期，如“2023-07-14”：那一期时已提出、尚未办结的问题和当时的最新进展；
    days、since：可选，只列等了超过 days 天的问题：since 为“提出”（默认）时按提出日期，为“进展”时按最新办理进展的
    日期（没有进展的按提出日期），都算到台账日期（或 ledger_on）；
    code：可选，问题编号，如“WT-2023-003”：只看这一个问题（已解决的也写明）；
    oldest：可选，为真时按提出日期从早到晚列出，并先写明提出最早（等得最久）的问题；
    about：可选，问题描述中的词，如 ["用地", "环评"]：只列描述写到其中任一个词的问题（供电、能耗、并网这类问题）；
    overdue：可选，为真时只列办结时限早于台账日期（或 ledger_on）的问题（那一期时已逾期未办结的）；
    county_class：可选，考核方案的县区类别（如“三类”）：只列该类县区的问题。
    """
    members = class_members(county_class) if county_class else None
    about = [w.strip() for w in about or [] if w and w.strip()]
    if opened_from and opened_to and opened_from > opened_to:
        raise InvalidValue(f"提出日期范围有误：起始日期 {opened_from} 晚于结束日期 {opened_to}。")
    if days is not None and days < 0:
        raise InvalidValue(f"天数“{days}”无效，应为不小于 0 的整数。")
    if since not in ("提出", "进展"):
        raise InvalidValue(f"“{since}”无效：天数只能从“提出”或最新“进展”算起。")
    last = ledger_on or opened_to
    with store.session() as session:
        stmt, region_name = problems_in(store, session, region)
        scoped = sorted(
            ((pb, rg) for pb, rg in session.execute(stmt)
             if handled_by(pb, department) and (not code or normalise_code(pb.code) == normalise_code(code))
             and (not about or any(w in pb.description for w in about))
             and (not escalation or pb.escalation == escalation)
             and (members is None or rg.name in members)
             and (not opened_from or pb.opened_on >= opened_from) and (not last or pb.opened_on <= last)),
            key=lambda t: (t[1].sort_order, t[0].opened_on, t[0].code),
        )
        # on a past ledger: a problem solved after that day was still open in it
        rows = [(pb, rg) for pb, rg in scoped if pb.status != "已解决"
                or ledger_on is not None and pb.closed_on is not None and pb.closed_on > ledger_on]
        if days is not None or overdue:
            from assistant.tools.lifecycle import ledger_date

            day = ledger_on or ledger_date(session)
        if days is not None:
            waited = _waited_from(session, [pb for pb, _ in rows], since, day)
            rows = [(pb, rg) for pb, rg in rows if (day - waited[pb.id]).days > days]
            scoped = [(pb, rg) for pb, rg in scoped if pb.status != "已解决"]
        if overdue:  # past the deadline on the day, still open then
            rows = [(pb, rg) for pb, rg in rows if pb.due_on is not None and pb.due_on < day]
            scoped = [(pb, rg) for pb, rg in scoped if pb.status != "已解决"]
        # nothing open for a department or place asked about: what it had is solved, and that answers 办结了没
        closed = [(pb, rg) for pb, rg in scoped if pb.status == "已解决" and (pb, rg) not in rows] if not rows and (
            region_name or department or escalation or opened_from or opened_to or code or about or members) else []
        rule = "未解决问题 = 状态为“未解决”或“推进中”的问题；" + OVERDUE_RULE
        prov = provenance(session, "problems", [(pb.id, pb.import_id) for pb, _ in rows + closed], None, rule)
        # none open: the count is a finding about the rows looked through (the department's or place's problems)
        looked = provenance(session, "problems", [(pb.id, pb.import_id) for pb, _ in (rows or scoped)
                                                  or session.execute(stmt)], None, rule)
        if oldest:
            rows.sort(key=lambda t: (t[0].opened_on, t[0].code))
        items = _problem_items(session, rows, ledger_on)
        solved = _problem_items(session, closed, ledger_on)
    by_department = [CountItem(name=n, count=c) for n, c in Counter(i.department for i in items).most_common()]
    by_region = [CountItem(name=n, count=c) for n, c in Counter(i.region for i in items).most_common()]
    window = (f"{cn_date(opened_from) if opened_from else ''}—{cn_date(opened_to) if opened_to else ''}提出的"
              if opened_from or opened_to else "")
    window = f"按{cn_date(ledger_on)}那一期问题台账，{window}" if ledger_on else window
    if days is not None:
        window += f"{'提出' if since == '提出' else '最新办理进展距台账日期'}超过 {days} 天的"
    if overdue:
        window += "已过办结时限的"
    field_ = class_label(county_class, members) if county_class and members is not None else ""
    scope = "".join(filter(None, [window, code and f"编号{code}的", region_name, field_,
                                  department and f"“{department}”相关部门",
                                  escalation and f"协调层级为“{escalation}”的",
                                  "问题描述涉及" + "、".join(f"“{w}”" for w in about) + "的" if about else ""]))
    if code and (items or solved):  # one problem asked by its 编号: the problem itself, solved or not
        summary = "问题台账" + "；".join(_problem_line(i) for i in items + solved) + "。"
    elif items:
        top = "、".join(f"{c.name} {c.count} 个" for c in by_department)
        summary = f"{scope}未解决问题 {len(items)} 个，按责任部门：{top}。"
        if oldest:
            first = [i for i in items if i.opened_on == items[0].opened_on]
            summary = (f"{scope}未解决问题中提出最早（等得最久）的是" + "、".join(f"{i.code} {i.project or i.region}（{i.description}）" for i in first)
                       + f"，提出于{cn_date(items[0].opened_on)}。") + summary
        summary += "明细：" + "；".join(_problem_line(i) for i in items[:10]) + ("……" if len(items) > 10 else "") + "。"
    else:
        summary = f"{scope}没有未解决的问题。"
        if solved:
            summary += f"已解决的 {len(solved)} 个：" + "；".join(_problem_line(i) for i in solved[:10]) + "。"
    figures = [Figure(label=f"{scope}未解决问题数", value=len(items), unit="个", period=None,
                      provenance=prov if items else looked)]
    if solved:
        figures.append(Figure(label=f"{scope}已解决问题数", value=len(solved), unit="个", period=None, provenance=prov))
    return ProblemList(region=region_name, department=department, items=items, open_count=len(items),
                       by_department=by_department, by_region=by_region, provenance=prov, summary=summary,
                       figures=figures)


@figure_tool(
    "问题台账：已经解决的问题及解决日期",
    examples=[
        "问题台账里已经解决的问题有哪些", "哪些问题已经办结了", "今年解决了几个企业诉求", "已销号的问题清单",
        "恒口已经解决了哪些问题",
    ],
    path="solved-problems",
    requires=("solved",),
)
def solved_problems(store: FigureStore, region: str | None = None, department: str | None = None,
                    escalation: str | None = None) -> ProblemList:
    """问题台账中已经解决的问题及解决日期，可按地区、责任部门或协调层级筛选。

    region：可选，地区名或简称；department：可选，责任部门名称或常用简称，如“自然资源局”“发改委”；
    escalation：可选，协调层级，如“县级”“市级”。
    """
    def picked(pb: Problem) -> bool:
        return handled_by(pb, department) and (not escalation or pb.escalation == escalation)

    with store.session() as session:
        stmt, region_name = problems_in(store, session, region)
        rows = sorted(
            ((pb, rg) for pb, rg in session.execute(stmt.where(Problem.status == "已解决")) if picked(pb)),
            key=lambda t: (t[0].closed_on or t[0].opened_on, t[0].code),
        )
        # the place's, department's or level's problems, solved or not
        scoped = [(pb.id, pb.import_id) for pb, _ in session.execute(stmt) if picked(pb)]
        prov = provenance(session, "problems", [(pb.id, pb.import_id) for pb, _ in rows]
                          or scoped or [(pb.id, pb.import_id) for pb, _ in session.execute(stmt)], None,
                          "已解决问题 = 状态为“已解决”的问题")
        items = _problem_items(session, rows)
        # of a place or department asked: how many it has in all, so 总共几个、办结了几个 is answered at once
        every = scoped if region_name or department or escalation else []
        in_all = provenance(session, "problems", every, None, "问题总数 = 问题台账中该地区或部门的全部问题") if every else None
    by_department = [CountItem(name=n, count=c) for n, c in Counter(i.department for i in items).most_common()]
    by_region = [CountItem(name=n, count=c) for n, c in Counter(i.region for i in items).most_common()]
    scope = "".join(filter(None, [region_name, department and f"“{department}”相关部门",
                                  escalation and f"协调层级为“{escalation}”的"]))
    summary = (f"{scope}已解决问题 {len(items)} 个：" + "；".join(_problem_line(i) for i in items) + "。" if items
               else f"{scope}没有已解决的问题。")
    if every:
        summary = f"{scope}问题台账共有问题 {len(every)} 个，其中已解决 {len(items)} 个、未解决 {len(every) - len(items)} 个。" + summary
    figures = [Figure(label=f"{scope}已解决问题数", value=len(items), unit="个", period=None, provenance=prov)]
    if in_all is not None:
        figures.append(Figure(label=f"{scope}问题总数", value=len(every), unit="个", period=None, provenance=in_all))
    return ProblemList(region=region_name, department=department, items=items, open_count=0,
                       by_department=by_department, by_region=by_region, provenance=prov, summary=summary,
                       figures=figures)


class ProgressNote(BaseModel):
    noted_on: date
    text: str
    escalation: str | None


class ProblemProgressItem(ProblemFacts):
    opened_on: date
    due_on: date | None
    closed_on: date | None
    overdue_days: int | None  # open past its 办结时限 on the ledger date (closed late: days late)
    escalation: str | None
    evaluation: str | None
    log: list[ProgressNote]
    project_columns: dict[str, str] = {}  # the asked columns of its project's row in the project ledger (包抓领导)


class ProblemProgressList(BaseModel):
    as_of: date
    items: list[ProblemProgressItem]
    overdue_count: int
    figures: list[Figure]
    provenance: Provenance
    summary: str


OVERDUE_RULE = "逾期 = 未办结且办结时限早于台账日期；已办结的问题按办结日期是否晚于办结时限判断是否超期办结"


def problem_ledger(store: FigureStore, project: str | None, region: str | None, department: str | None,
                   only_overdue: bool, due: tuple[date, date] | None = None,
                   columns: list[str] | None = None) -> ProblemProgressList:
    """The problems of a project, region or department with their progress log; only the overdue ones, or with
    `due` only the open ones whose 办结时限 falls within those two days; with `columns`, each one's project's cells
    of those project ledger columns (the two ledgers joined by the project's name)."""
    from assistant.db.models import ProblemProgress, Project
    from assistant.tools.directory import match_names
    from assistant.tools.lifecycle import ledger_date
    from assistant.tools.projects import column_label, ledger_column_texts

    with store.session() as session:
        day = ledger_date(session)
        stmt, _ = problems_in(store, session, region)
        if project:
            own = [Project.region_id == Region.id, Region.name == store.region_scope] if store.region_scope else []
            names = match_names(project, list(session.scalars(select(Project.name).where(*own))), "project")
            if not names:  # a county officer: another region's project is as unknown as a missing one
                raise InvalidValue(f"项目库中没有名称含“{project}”的项目"
                                   f"{'（您的账号只能查本地区的项目）' if store.region_scope else ''}。")
            stmt = stmt.where(Problem.project_name.in_(names))
        rows = [(pb, rg) for pb, rg in session.execute(stmt) if handled_by(pb, department)]
        ids = [pb.id for pb, _ in rows]
        notes: dict[int, list[ProgressNote]] = {}
        for n in session.scalars(select(ProblemProgress).where(ProblemProgress.problem_id.in_(ids or [0]))
                                 .order_by(ProblemProgress.noted_on)):
            notes.setdefault(n.problem_id, []).append(ProgressNote(noted_on=n.noted_on, text=n.text,
                                                                   escalation=n.escalation))
        items = []
        for pb, rg in sorted(rows, key=lambda t: (t[0].status == "已解决", t[1].sort_order, t[0].opened_on, t[0].code)):
            overdue = None
            if pb.due_on and pb.status != "已解决" and pb.due_on < day:
                overdue = (day - pb.due_on).days
            elif pb.due_on and pb.closed_on and pb.closed_on > pb.due_on:
                overdue = (pb.closed_on - pb.due_on).days
            items.append(ProblemProgressItem(
                **ProblemFacts.of(pb, rg.name), opened_on=pb.opened_on, due_on=pb.due_on,
                closed_on=pb.closed_on, overdue_days=overdue, escalation=pb.escalation, evaluation=pb.evaluation,
                log=notes.get(pb.id, [])))
        if only_overdue:
            items = [i for i in items if i.overdue_days is not None and i.status != "已解决"]
        if due is not None:
            items = [i for i in items if i.status != "已解决" and i.due_on and due[0] <= i.due_on <= due[1]]
        used = {i.id for i in items}
        prov = provenance(session, "problems", [(pb.id, pb.import_id) for pb, _ in rows if pb.id in used], None,
                          OVERDUE_RULE + "；办理进展来自 problem_progress 表（每期问题台账的办理进展）")
        asked = list(dict.fromkeys(column_label(c) for c in columns or []))
        if asked and items:
            # 超期那几个问题的项目分别是谁包抓的: the project ledger's row of each problem's project
            named = dict(session.execute(select(Project.name, Project.id).where(
                Project.name.in_({i.project for i in items if i.project}))).all())
            cells = ledger_column_texts(session, list(named.values()), asked)
            for i in items:
                i.project_columns = cells.get(named.get(i.project or "", -1), {})

    def line(i: ProblemProgressItem) -> str:
        parts = [f"{i.code} {i.project or i.region}：{i.description}（{i.department}，{i.status}"]
        opened, due = problem_timing(i.opened_on, i.due_on, i.closed_on, day)
        parts.append(f"，{opened}" + (f"，{due}" if due else f"，办结时限{cn_date(i.due_on)}" if i.due_on else ""))
        if i.escalation:
            parts.append(f"，协调层级 {i.escalation}")
        if i.closed_on:
            parts.append(f"，{solved_on(i.opened_on, i.closed_on, '办结', i.due_on)}"
                         + (f"，企业评价“{i.evaluation}”" if i.evaluation else ""))
        parts.append("".join(f"，项目{label}：{value}" for label, value in i.project_columns.items()) + "）")
        if i.log:
            parts.append("办理进展：" + " → ".join(f"{n.noted_on.month}月{n.noted_on.day}日 {n.text}" for n in i.log))
        return "".join(parts)

    overdue_count = sum(1 for i in items if i.overdue_days is not None and i.status != "已解决")
    scope = "".join(filter(None, [project, region, department and f"“{department}”负责的"]))
    figures = [Figure(label=f"{scope}问题数", value=len(items), unit="个", period=None, provenance=prov),
               Figure(label=f"{scope}逾期未办结问题数", value=overdue_count, unit="个", period=None, provenance=prov)]
    what = ("逾期未办结的问题" if only_overdue else
            f"办结时限在{cn_date(due[0])}—{cn_date(due[1])}的未办结问题" if due else "问题")
    if items:
        summary = (f"截至{cn_date(day)}台账，{scope}{what} {len(items)} 个（逾期未办结 {overdue_count} 个）："
                   + "；".join(line(i) for i in items[:12]) + "。")
    else:
        summary = f"截至{cn_date(day)}台账，{scope}没有{what}。"
    return ProblemProgressList(as_of=day, items=items, overdue_count=overdue_count, figures=figures,
                               provenance=prov, summary=summary)


@figure_tool(
    "某项目问题诉求的办理进展：办结时限、协调层级、每期进展和企业评价",
    examples=[
        "锂电隔膜项目的问题诉求办理到哪一步了？", "某项目的问题现在办得怎么样了", "这个项目反映的问题有什么进展",
        "某项目的问题提交联席会议了吗", "某项目问题什么时候能办结", "某项目的诉求办理过程",
    ],
    slots={"project": "project"},
    requires=("project",),
    path="problem-progress",
)
def problem_progress(store: FigureStore, project: str) -> ProblemProgressList:
    """一个项目在问题台账中的问题及办理过程（办到哪一步、哪个环节）：责任部门、状态、办结时限（是否逾期）、
    协调层级（县级→市级→市级联席会议）、每期办理进展和办结后的企业评价。

    project：项目名称或其中有区分度的部分，如“锂电隔膜”。
    """
    return problem_ledger(store, project, None, None, False)


@figure_tool(
    "逾期未办结的问题：超过办结时限仍未解决",
    examples=[
        "哪些问题超过办结时限还没解决", "逾期未办结的问题有哪些", "超期的企业诉求", "发改委负责的问题有没有逾期",
        "问题台账里逾期的有几个", "哪些问题拖着没办结",
    ],
    slots={"columns": "shown_columns"},
    requires=("past_due",),  # (还没办结的 is every open problem: open_problems')
    path="overdue-problems",
)
def overdue_problems(store: FigureStore, region: str | None = None, department: str | None = None,
                     columns: list[str] | None = None) -> ProblemProgressList:
    """问题台账中已过办结时限仍未解决的问题（按台账日期判断），含逾期天数、协调层级和办理进展。

    region：可选，地区名或简称；department：可选，责任部门名称或常用简称，如“发改委”“自然资源局”；
    columns：可选，每个问题所属项目在项目台账上要写出的列，如 ["包抓领导", "项目管家"]（按项目名称对应）。
    """
    return problem_ledger(store, None, region, department, True, columns=columns)
