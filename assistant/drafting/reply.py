"""提案/建议答复函: a complete first draft from the proposal's suggestions, the knowledge base and the database.

For each suggestion, 一、办理情况 quotes the measures the knowledge base records (with the database figures
on the same topic); when none match, the paragraph says so and is marked 【待补充】 — the draft never
invents a measure. 二、存在的问题 quotes problems recorded in earlier documents and adds the gaps the
database shows on the suggestions' topics; 三、下一步工作措施 quotes planned measures. Wording comes
from prompts/drafting/reply.yaml and sections.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.db.periods import Period
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.numerals import chinese_numeral
from assistant.tools import city_total, lagging_regions

from .check import is_statistic
from .compose import (
    city_overview,
    cn_date,
    fact_paragraph,
    figures_period,
    finish,
    heading,
    measure_paragraph,
    no_database_warning,
    period_as_of,
    placeholder,
    time_warnings,
    topic_fact,
    topics_of,
)
from .facts import (
    DOMESTIC,
    FOREIGN,
    Fact,
    attempt,
    foreign_gap_fact,
    join,
    laggards_fact,
    problems_as_of,
    problems_fact,
)
from .measures import Evidence, Measure, evidence_for, find_measures
from .proposal import topic
from .templates import phrase
from .types import CATEGORY_LABELS, Category, Draft, DraftHeader, Paragraph

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

DEFAULT_OFFICE = "安康市招商和经济合作局"
SALUTATION_ENDS = re.compile(r"(?:委员|代表|委员会|支部|小组|界别|联合会|同志|先生|女士)$")
NUMBER_IN_TEXT = re.compile(r"^(?P<session>.*?)第?\s*(?P<number>\d+)\s*号(?:提案|建议|议案)?$")
MAX_PROBLEMS_QUOTED = 2
SEARCH_K = 16  # passages read per suggestion, for measures taken, next steps and problems alike
MAX_ANSWERED = 20  # suggestions answered one by one; any beyond are listed for the drafter to group and answer
DOC_NUMBER = re.compile(r"^(?P<org>[\u4e00-\u9fa5]{1,12})\s*[〔［\[【（(]\s*(?P<year>\d{4})\s*[〕］\]】）)]\s*(?:第\s*)?(?P<n>\d{1,5})\s*号$")
CJK = re.compile(r"[\u4e00-\u9fa5]")
LATIN = re.compile(r"[A-Za-z]")


class ReplyRequest(BaseModel):
    """What an officer fills in for a reply letter."""

    model_config = ConfigDict(str_strip_whitespace=True)

    form: Literal["答复函"] = "答复函"
    session: str = Field("", max_length=60, description="会议，如“市政协五届二次会议”“市五届人大二次会议”")
    number: str = Field(min_length=1, max_length=80, description="提案（建议）号，如“205”；也可写“市政协五届二次会议第205号”")
    title: str = Field(min_length=2, max_length=200, description="提案标题，如“关于推动我市招商引资工作高质量发展的提案”")
    proposer: str = Field(min_length=1, max_length=100, description="提案人，如“刘文涛委员”“张宏伟代表”“民建安康市委员会”")
    suggestions: list[Annotated[str, Field(max_length=3000)]] = Field(
        default_factory=list, max_length=100,
        description=f"提案的主要建议，每条一项；前 {MAX_ANSWERED} 条逐条答复，其余列出待经办人归并答复")
    category: Category = Field("A", description="答复类别：A 已解决或采纳，B 正在解决或列入计划，C 留作参考")
    style: Literal["分条", "两段式"] = Field(
        "分条", description="样式：分条（一、办理情况逐条答复，二、存在的问题，三、下一步）或两段式（一、工作成效，二、下一步工作重点，如汉中市经济合作局的答复函）")
    contact: str = Field("", max_length=40, description="联系人")
    phone: str = Field("", max_length=60, description="联系电话")
    office: str = Field(DEFAULT_OFFICE, max_length=60, description="答复单位")
    doc_number: str = Field("", max_length=40, description="发文字号，如“安招函〔2023〕31号”")
    signer: str = Field("", max_length=20, description="签发人")
    access: str = Field("公开", max_length=20, description="公开属性")
    date: Date | None = Field(None, description="成文日期，默认今天；草稿的时点：数字、问题和引用的文件都以此日为准")
    period: str | None = Field(None, max_length=30, description="数据期间，如“2023-07”；默认成文日期前已结束的最新期间")
    cc: str | None = Field(None, max_length=200, description="抄送，默认按提案或建议填写")
    issuer: str = Field("", max_length=60, description="版记的印发机关，默认“答复单位办公室”")
    issued_on: Date | None = Field(None, description="印发日期，默认为成文日期")

    @model_validator(mode="after")
    def _split_number(self) -> ReplyRequest:
        match = NUMBER_IN_TEXT.match(self.number)
        if match:
            if not self.session and match.group("session").strip():
                self.session = match.group("session").strip()
            self.number = match.group("number")
        else:  # “第三百零一号”: the title and the opening write 第…号 around it themselves
            self.number = re.sub(r"^第\s*|\s*号(?:提案|建议|议案)?$", "", self.number) or self.number
        self.title = self.title.strip("《》")
        number = DOC_NUMBER.match(self.doc_number.replace(" ", ""))
        if number:  # 安招函[2023]31号, 安招函（2023）第31号 → 安招函〔2023〕31号, as GB/T 9704 writes it
            self.doc_number = f"{number.group('org')}〔{number.group('year')}〕{int(number.group('n'))}号"
        self.suggestions = [s.strip() for s in self.suggestions if s.strip()]
        return self

    @property
    def kind(self) -> Literal["提案", "建议"]:
        return "建议" if "人大" in self.session else "提案"

    @property
    def salutation(self) -> str:
        """“李明委员（民盟安康市委员会）” is greeted as “李明委员”, never “…（民盟安康市委员会）委员”."""
        name = re.sub(r"\s*[（(][^（）()]*[）)]\s*$", "", self.proposer).strip() or self.proposer
        if SALUTATION_ENDS.search(name):
            return name
        return name + ("代表" if self.kind == "建议" else "委员")


def request_notes(request: ReplyRequest, letter_date: Date) -> list[str]:
    """Warnings about what the officer filled in: an odd 文号 or 提案号, suggestions not in Chinese, too many."""
    notes = []
    if request.doc_number:
        number = DOC_NUMBER.match(request.doc_number)
        if number is None:
            notes.append(f"发文字号“{request.doc_number}”不是“机关代字〔年份〕序号号”的写法（如“安招函〔2023〕31号”），请核对。")
        elif int(number.group("year")) != letter_date.year:
            notes.append(f"发文字号“{request.doc_number}”的年份与成文日期（{cn_date(letter_date)}）不是同一年，请核对。")
    if not request.number.isdigit():
        notes.append(f"提案（建议）号“{request.number}”不是数字，标题和开头已照写，请核对（如“205”或“市政协五届二次会议第205号”）。")
    for i, suggestion in enumerate(request.suggestions, start=1):
        if not CJK.search(suggestion):
            notes.append(f"第{i}条建议不是中文（“{suggestion[:30]}”），知识库是中文的，没有为它匹配措施，已标注【待补充】；请译成中文后重新起草。")
        elif len(LATIN.findall(suggestion)) > len(CJK.findall(suggestion)):
            notes.append(f"第{i}条建议主要是英文，措施按其中的中文匹配，请核对。")
    extra = len(request.suggestions) - MAX_ANSWERED
    if extra > 0:
        notes.append(f"提案共有 {len(request.suggestions)} 条建议，草稿逐条答复了前 {MAX_ANSWERED} 条，"
                     f"其余 {extra} 条列在办理情况末尾并标注【待补充】，请归并到相近的条目中答复。")
    return notes


def draft_reply(request: ReplyRequest, kb: KnowledgeBase, store: FigureStore | None,
                chat_model: BaseChatModel | None = None, today: Date | None = None,
                filters: SearchFilters | None = None, semantic: bool = True) -> Draft:
    """起草提案（建议）答复函。store 为 None 时不写数据并给出提示；chat_model 给出时改写段落，数字不变。
    filters：检索范围（起草人可见的公开属性）。The letter's date (default: today) is its as-of date: the
    figures are those of the newest period ended by then, the documents quoted are dated on or before it,
    and the problems counted are those open then. semantic=False matches measures by words only (no
    embedder; for tests of the structure)."""
    letter_date = request.date or today or Date.today()
    period = figures_period(store, request.period) if request.period else period_as_of(store, letter_date)
    kind = request.kind
    draft = Draft(kind="reply", period=period.key if period else None, as_of=letter_date,
                  title=phrase("reply", "title", office=request.office, session=request.session,
                               number=request.number, kind=kind),
                  header=DraftHeader(category=f"{request.category}类", access=request.access, office=request.office,
                                     doc_number=request.doc_number, signer=request.signer))
    if store is None:
        draft.warnings.append(no_database_warning())
    draft.warnings += request_notes(request, letter_date) + time_warnings(store, period, letter_date, asked=bool(request.period))
    evidence, filters = evidence_for(kb, letter_date, request.office, filters, semantic=semantic)
    add = draft.paragraphs.append
    add(Paragraph(kind="recipient", text=f"{request.salutation}："))
    add(Paragraph(text=phrase("reply", "opening", session=request.session, title=request.title,
                              number=request.number, kind=kind)))
    if request.style != "两段式":
        add(heading(phrase("reply", "heading_done", kind=kind)))
    overview = city_overview(store, period)
    intro = phrase("reply" if request.style != "两段式" else "reply_two_part", "overview", kind=kind)
    if store is not None and period is None:
        overview_paragraph = placeholder(intro + phrase("reply", "overview_none"))
    else:
        overview_paragraph = Paragraph(text=intro + overview.text, figures=overview.figures)

    answers = _answers(request, kb, store, period, filters, evidence)
    if request.style == "两段式":
        draft.paragraphs += two_part_body(request, answers, overview_paragraph)
        return _end(draft, request, letter_date, evidence, answers, chat_model)
    add(overview_paragraph)
    for answer in answers.items:
        if answer.done:
            add(measure_paragraph(answer.done, answer.lead, answer.extra))
        else:
            add(placeholder(phrase("reply", "measure_foreign" if answer.foreign else "measure_none"), answer.lead))
    if answers.rest:
        add(placeholder(phrase("reply", "measure_rest", listing=answers.rest)))
    if not request.suggestions:
        add(placeholder(phrase("reply", "no_suggestions")))
    add(heading(phrase("reply", "heading_problems", kind=kind)))
    draft.paragraphs += _problems(answers.problems, topics_of(" ".join(request.suggestions)), store, period)
    add(heading(phrase("reply", "heading_next")))
    for j, answer in enumerate(answers.items, start=1):
        ordinal = f"{chinese_numeral(j)}是"
        if answer.next:
            add(measure_paragraph(answer.next, ordinal + (answer.next[0].lead or f"{answer.name}。")))
        else:
            add(placeholder(phrase("reply", "next_foreign" if answer.foreign else "next_none", topic=answer.name),
                            f"{ordinal}{answer.name}。"))
    if not answers.items:
        add(placeholder(phrase("reply", "next_no_suggestions")))
    return _end(draft, request, letter_date, evidence, answers, chat_model)


def _end(draft: Draft, request: ReplyRequest, letter_date: Date, evidence: Evidence, answers: Answers,
         chat_model: BaseChatModel | None) -> Draft:
    """Closing, signature, date, contact and 版记, the warnings of the search, citations numbered."""
    add = draft.paragraphs.append
    kind = request.kind
    draft.warnings += answers.warnings
    if request.suggestions and answers.matched == 0 and request.category == "A":
        draft.warnings.append(f"答复类别为A类（{CATEGORY_LABELS['A']}），但没有找到任何已办理措施，请核实答复类别。")
    if not request.suggestions:
        draft.warnings.append("没有提供提案的主要建议，办理情况部分只有数据概况；请补充建议（工作台“主要建议”框、命令行 --suggestion、"
                              "接口 suggestions 字段）或上传提案文件后重新起草。")
    # Without a single measure found, the closing must not claim the suggestions were adopted.
    closing = f"closing_{request.category}" if answers.matched or request.category == "C" else "closing_unverified"
    if request.style == "两段式" and closing != "closing_unverified":
        text = phrase("reply_two_part", "closing")
    else:
        text = phrase("reply", closing)
    add(Paragraph(kind="closing", text=text, placeholder=closing == "closing_unverified"))
    add(Paragraph(kind="signature", text=request.office))
    add(Paragraph(kind="date", text=cn_date(letter_date)))
    if request.contact or request.phone:
        add(Paragraph(kind="contact", text=phrase("reply", "contact", name=request.contact or "【待补充】",
                                                  phone=request.phone or "【待补充】")))
    add(Paragraph(kind="cc", text=request.cc or phrase("reply", "cc_建议" if kind == "建议" else "cc_提案")))
    add(Paragraph(kind="issued", text=phrase("reply", "issued", date=cn_date(request.issued_on or letter_date),
                                             issuer=request.issuer or phrase("reply", "issuer", office=request.office))))
    draft.warnings += list(dict.fromkeys(evidence.flags))
    finish(draft)
    if chat_model is not None:
        from .polish import polish

        draft = polish(draft, chat_model)
    return draft


@dataclass
class Answer:
    """What the knowledge base and the database hold for one suggestion."""

    n: int
    name: str
    lead: str
    foreign: bool = False  # not written in Chinese: nothing was searched
    done: list[Measure] = field(default_factory=list)
    extra: Fact = field(default_factory=Fact)
    next: list[Measure] = field(default_factory=list)


@dataclass
class Answers:
    items: list[Answer]
    problems: list[Measure]
    matched: int
    rest: str  # the suggestions beyond MAX_ANSWERED, listed for the drafter
    warnings: list[str]


def _answers(request: ReplyRequest, kb: KnowledgeBase, store: FigureStore | None, period: Period | None,
             filters: SearchFilters, evidence: Evidence) -> Answers:
    """For each suggestion (the first MAX_ANSWERED): the measures taken, the database figures on its topic
    (each written once, under the first suggestion that touches it), the planned measures and a problem.
    A passage serves one suggestion only."""
    used: set[str] = set()
    facts_used: set[str] = {"foreign"}  # the overview opening 办理情况 states the city's 外资 already
    items: list[Answer] = []
    problems: list[Measure] = []
    warnings: list[str] = []
    for i, suggestion in enumerate(request.suggestions[:MAX_ANSWERED], start=1):
        name = topic(suggestion)
        answer = Answer(i, name, phrase("reply", "measure_lead", n=chinese_numeral(i), topic=name))
        items.append(answer)
        if not CJK.search(suggestion):
            answer.foreign = True
            continue
        hits = kb.search(suggestion, k=SEARCH_K, filters=filters)
        others = [x for j, x in enumerate(request.suggestions[:MAX_ANSWERED], start=1) if j != i]
        answer.done = find_measures(kb, suggestion, "done", is_statistic, limit=2, used=used, filters=filters,
                                    evidence=evidence, hits=hits, others=others)
        if answer.done:
            topics = [t for t in topics_of(suggestion) if t in ("foreign", "projects", "events") and t not in facts_used]
            facts_used.update(topics)
            answer.extra = join([topic_fact(store, period, t) for t in topics], sep="", end="")
        else:
            warnings.append(f"第{i}条建议“{name}”在知识库中没有找到对应的办理措施，草稿中已标注【待补充】，请承办科室核实补写。")
        answer.next = find_measures(kb, suggestion, "next", is_statistic, limit=1, used=used, focus=name,
                                    filters=filters, evidence=evidence, hits=hits, others=others)
        problems += find_measures(kb, suggestion, "problem", is_statistic, limit=1, used=used, focus=name,
                                  filters=filters, evidence=evidence, hits=hits)
    rest = request.suggestions[MAX_ANSWERED:]
    listing = "；".join(f"{MAX_ANSWERED + n}. {topic(x)}" for n, x in enumerate(rest, start=1))
    return Answers(items, problems, sum(1 for a in items if a.done), listing, warnings)


def two_part_body(request: ReplyRequest, answers: Answers, overview: Paragraph) -> list[Paragraph]:
    """The 两段式 body: an opening overview, 一、工作成效 (the measures taken, one 一是… paragraph for each
    suggestion answered) and 二、下一步工作重点 (the planned measures), without a section of problems."""
    out = [overview, heading(phrase("reply_two_part", "heading_done"))]
    done = [a for a in answers.items if a.done]
    for n, a in enumerate(done, start=1):
        out.append(measure_paragraph(a.done, f"{chinese_numeral(n)}是{a.done[0].lead or f'关于{a.name}。'}", a.extra))
    missing = [a.name for a in answers.items if not a.done] + ([answers.rest] if answers.rest else [])
    if missing:
        out.append(placeholder(phrase("reply_two_part", "done_missing", topics="；".join(missing))))
    if not request.suggestions:
        out.append(placeholder(phrase("reply", "no_suggestions")))
    out.append(heading(phrase("reply_two_part", "heading_next")))
    out.append(Paragraph(text=phrase("reply_two_part", "next_intro", title=request.title)))
    for n, a in enumerate(answers.items, start=1):
        if a.next:
            out.append(measure_paragraph(a.next, f"{chinese_numeral(n)}是{a.next[0].lead or f'关于{a.name}。'}"))
        else:
            out.append(placeholder(phrase("reply", "next_foreign" if a.foreign else "next_none", topic=a.name),
                                   f"{chinese_numeral(n)}是关于{a.name}。"))
    if not answers.items:
        out.append(placeholder(phrase("reply", "next_no_suggestions")))
    return out


def _problems(quoted: list[Measure], topics: list[str], store: FigureStore | None, period: Period | None
              ) -> list[Paragraph]:
    """Problems quoted from earlier documents, then the gaps the database shows on the same topics."""
    items: list[tuple[str, Paragraph]] = [(m.lead, measure_paragraph([m], "")) for m in quoted[:MAX_PROBLEMS_QUOTED]]
    key = period.key if period else None
    if store is not None and period is not None and key:
        computed: list[tuple[str, Fact]] = []
        if "foreign" in topics:
            result = attempt(lambda: city_total(store, key, FOREIGN))
            computed.append(("lead_foreign_gap", join([foreign_gap_fact(result)]) if result else Fact()))
        if "laggards" in topics:
            lagging = attempt(lambda: lagging_regions(store, key, DOMESTIC))
            computed.append(("lead_imbalance", join([laggards_fact(lagging)]) if lagging else Fact()))
        if "projects" in topics or "problems" in topics:
            ledger = attempt(lambda: problems_as_of(store, period.end))
            computed.append(("lead_problems", join([problems_fact(ledger, period.end)]) if ledger else Fact()))
        items += [(phrase("sections", lead), fact_paragraph(fact)) for lead, fact in computed if fact]
    if not items:
        return [placeholder(phrase("reply", "problems_none"))]
    out = []
    for n, (lead, paragraph) in enumerate(items, start=1):
        paragraph.lead = f"{chinese_numeral(n)}是{lead}"
        out.append(paragraph)
    return out
