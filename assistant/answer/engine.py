"""The assistant: one entry point (`ask`) for every front end, in grounded or LLM mode."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from assistant.access import FULL_ACCESS, Access
from assistant.answer.answer_types import names_the_kind, names_the_value
from assistant.answer.asking import asking_clauses
from assistant.answer.comparisons import SMALL_NUMBERS
from assistant.answer.composition import Composition
from assistant.answer.conflicts import check_passages, unverified_notes
from assistant.answer.coverage import ORIGIN, asked_directly, asked_of_something, asked_terms, uncovered
from assistant.answer.declines import (
    ambiguous_body,
    asks_errand,
    asks_opinion,
    asks_prediction,
    choice_unspoken,
    given_counts,
    gives_another_set,
    missing_issuer,
    nothing_found,
    pasted_code,
    premise_unanswered,
    reason_unanswered,
    set_unspoken,
    subset_unanswered,
    unheld_issue,
    unheld_person_detail,
    unit_mismatch,
    unknown_forms,
    unknown_lead,
    unknown_subject,
)
from assistant.answer.document_facts import asked_fact, asks_fact, cn_day
from assistant.answer.followups import (
    CLASS_POINTED,
    HE_SUBJECT,
    IN_CHARGE,
    IT_SUBJECT,
    PLACE_POINTED,
    bare_attribute,
    bare_period,
    continue_topic,
    resolve_follow_up,
)
from assistant.answer.grounded import Call, Plan, figures_for, plan_for
from assistant.answer.leads import asked_enterprise_fields
from assistant.answer.named_documents import (
    KIND_NAMED,
    named_held,
    numbered_held,
    unheld_document,
    unheld_edition,
)
from assistant.answer.numbers import find_numbers, numeric_values, unsupported_numbers
from assistant.answer.outline import asks_items, opening, outline_asked, outline_lead
from assistant.answer.quoting import ASKS_PLANS, LETTER_WORDS, RULE, citation_of, period_mentions, policy_for
from assistant.answer.router import SemanticRouter, route_examples
from assistant.answer.types import UNVERIFIED_NOTE, Answer, Citation
from assistant.answer.understand import (
    ANAPHORA,
    CITY_LEVEL,
    FOLLOW_UP,
    INJECTION,
    LAG,
    RANK,
    REASON,
    SAID_BEFORE,
    SHARE_OF_CITY,
    WHY,
    Parsed,
    RegionName,
    Vocabulary,
    against_city,
    delexicalise,
    parse,
    without_injection,
)
from assistant.config import Settings
from assistant.db.errors import DatabaseNotReady, InvalidValue
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.index.provenance import is_verified, uploader_text
from assistant.index.synonyms import Synonyms, load_synonyms
from assistant.index.tokenize import add_words, teach_tagger, tokenize
from assistant.onboarding.sources import with_paragraph
from assistant.tools.assessment import class_members
from assistant.tools.directory import core_name, find_project
from assistant.tools.projects import ProjectList, StalledProjects
from assistant.tools.registry import REGISTRY

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answer.agent import Agent
    from assistant.onboarding.course import Course

IMPORT_RECHECK_S = 1.0  # an import by another process reaches questions within this long
LLM_MODEL_MISSING = "已设置 ASSISTANT_LLM_BASE_URL，但未设置 ASSISTANT_LLM_MODEL（模型名），本次用内置检索模式回答。"
OPINION_REFUSAL = ("这个问题要的是评价或表态，本助手无法回答：只提供知识库文档和项目数据库中写明的内容。"
                   "可以问文档里是怎么说的，例如“年度总结对外资工作是怎么总结的”。")
PREDICTION_REFUSAL = ("这个问题要的是预测，本助手无法回答：项目数据库只有已经发生的数据，知识库只有文档中写明的内容。"
                      "可以问目前的完成情况，例如“平利县上半年内资完成进度是多少”。")
ERRAND_REFUSAL = ("这个请求本助手无法作答：只能查询项目数据库和检索知识库文档，不能代为发送、通知、打电话或删改内容。"
                  "可以先问要的内容，例如“上半年各县区内资完成情况”，再自行转发。")
CODE_REFUSAL = ("这段输入像是代码或网页标记，不是问题：本助手不执行任何查询语句或脚本，只回答用中文提出的问题。"
                "可以这样问：“汉阴县一季度外资完成进度？”“签约超过三个月还没开工的项目有哪些？”")
RATE_ASKED = re.compile(r"(?:开工|到位|履约|涉链|完成)率|占比|比重")
GIVEN_SET_NOTE = "问题所说的那一批的数目与项目数据库中的记录对不上，数据库中没有那一批的明细，未用数据库回答。"
INJECTION_NOTE = "（问题中夹带了要求改变规则、改写答案或操作数据的指令，本助手不执行；以下只回答其中的查询。）"
# Both of the places asked in turn (两家, 这俩, 两个县, 二者): compared side by side.
BOTH_ASKED = re.compile(r"两家|两个(?:县|区|地方|单元)|这俩|这两个|他俩|它俩|二者|两者|两地")
REFUSAL = (
    "本助手无法提供这项操作：只提供按地区、期间、指标的只读查询和知识库检索，不能导出、修改或删除数据，"
    "也不会执行问题或文档中夹带的指令。"
)


@dataclass
class Turn:
    question: str
    parsed: Parsed


def open_figure_store(settings: Settings) -> FigureStore | None:
    try:
        return FigureStore.open(settings.db_url, min_group=settings.inference_min_group)
    except DatabaseNotReady:
        return None


def _import_mark(store: FigureStore | None) -> tuple[int, int] | None:
    if store is None:
        return None
    try:
        return store.import_mark()
    except SQLAlchemyError:  # unreadable just now (a restore swapping files): try again at the next check
        return None


def _counts_class(pointed: re.Match[str], members: list[str]) -> bool:
    """Whether 这六个县 / 这四个 / 这几个县区 points at a class of `members`: a place word, or as many as they are."""
    n = pointed.group("n")
    said = int(n) if n.isdigit() else SMALL_NUMBERS.get(n, 0)  # (几: any number)
    if said and said != len(members):
        return False
    return bool(pointed.group("noun")) or said == len(members)


class Assistant:
    """Grounded mode by default; LLM mode when a chat model is injected or ASSISTANT_LLM_BASE_URL and
    ASSISTANT_LLM_MODEL are set."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, store: FigureStore | None = None,
                 today: date | None = None, chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings)
        self.store = store if store is not None else open_figure_store(settings)
        self.today = today
        self.vocab = Vocabulary.load(self.store)
        add_words(self.vocab.words())
        # the bureau's terms read as one word each (比序时差多少: 序时, not 比序 and 时差)
        teach_tagger(load_synonyms(settings.synonyms_path).words())
        teach_tagger(LETTER_WORDS)  # (答复函抄送给谁: 答复函 | 抄送, not 答复 | 函抄)
        self._import_mark = _import_mark(self.store)
        self._imports_checked = time.monotonic()
        self._router: SemanticRouter | None = None
        self._course: Course | None = None
        self.chat_model = chat_model
        if chat_model is None and settings.llm_base_url:
            from assistant.answer.agent import chat_model_from_settings

            self.chat_model = chat_model_from_settings(settings)

    @property
    def mode(self) -> str:
        return "llm" if self.chat_model is not None else "grounded"

    def reload_figures(self) -> None:
        """Pick up a database that was imported after start-up."""
        self.store = open_figure_store(self.settings)
        self.vocab = Vocabulary.load(self.store)
        add_words(self.vocab.words())
        self._import_mark = _import_mark(self.store)

    def _follow_imports(self) -> None:
        """Reload when the database was imported into since it was loaded, by this process or another (an
        `assistant db import` while the server runs): regions, latest periods and names come from it. Looked
        at most once every IMPORT_RECHECK_S; while there is no database, at every call."""
        now = time.monotonic()
        if self.store is not None and now - self._imports_checked < IMPORT_RECHECK_S:
            return
        self._imports_checked = now
        if self.store is None or _import_mark(self.store) != self._import_mark:
            self.reload_figures()

    @property
    def router(self) -> SemanticRouter:
        """Routes by meaning with the knowledge base's embedder; examples are embedded on first use."""
        if self._router is None:
            # examples are read with the built-in city's regions too (they are written about it); questions only
            # with this database's
            examples_vocab = self.vocab.with_builtin_regions()
            self._router = SemanticRouter(
                self.kb.embedder, route_examples(),
                lambda text: delexicalise(text, parse(text, self.vocab, self.today)),
                lambda text: delexicalise(text, parse(text, examples_vocab, self.today)))
        return self._router

    def _regions_of(self, text: str) -> list[str]:
        return [r.name for r in self.vocab.find_regions(text)]

    def understand(self, question: str, history: list[str] | None = None) -> Parsed:
        previous: Parsed | None = None
        turns: list[list[RegionName]] = []  # the places each earlier turn was about, as understood in its turn
        for earlier in (history or [])[-6:]:
            earlier_parsed = parse(earlier, self.vocab, self.today, self.settings.max_question_chars)
            previous = continue_topic(resolve_follow_up(earlier_parsed, previous), previous)
            turns.append(previous.regions)
        question = self._named_again(question, previous, (history or [])[:-1])
        question = self._picked_from_list(question, previous, (history or [])[:-1])
        current = resolve_follow_up(parse(question, self.vocab, self.today, self.settings.max_question_chars), previous)
        current = continue_topic(current, previous)
        if previous is not None and current.follow_up and (ANAPHORA.search(current.text) or IT_SUBJECT.search(current.text)) \
                and not any(not r.is_city for r in [*current.regions, *previous.regions]):
            # 它同比多少 after 一季度内资完成进度第一是谁: 它 is the place that answer named, when it asked of none
            answered = self._answered_places(previous, (history or [])[:-1])
            if len(answered) == 1:
                current = replace(current, regions=answered, intents=["figure"], of_answer=True)
        if previous is not None and previous.slots.county_class and (pointed := CLASS_POINTED.search(current.text)) \
                and not any(not r.is_city for r in current.regions) and _counts_class(
                    pointed, members := class_members(previous.slots.county_class)):
            # 这六个县一季度内资加一块多少 after 考核办法里第二类单元是哪几个: the class's counties (and the city, when
            # their share of it is asked)
            city = [r for r in current.regions if r.is_city] if SHARE_OF_CITY.search(current.text) else []
            current = replace(current, regions=[r for r in self.vocab.regions if r.name in members] + city,
                              follow_up=True)
        if PLACE_POINTED.search(current.text) and not any(not r.is_city for r in current.regions) and (
                current.slots.project and self.store is not None or previous is not None and current.follow_up):
            # 那个县台账上还有哪些项目 after 电商物流分拨中心项目是哪个县区的: the county the answer named, in place of
            # the project (or company) it was about; 中医药康养项目所在的那个县…: that project's county
            places = self._county_of_project(current.slots.project) if current.slots.project else []
            if not places and previous is not None:
                places = [r for r in previous.regions if not r.is_city] or self._answered_places(previous, (history or [])[:-1])
            if len(places) == 1:
                slots = replace(current.slots, project=None, enterprise=None)
                current = replace(current, regions=places, slots=slots, of_answer=True)
        if previous is not None and not current.follow_up and current.period_assumed and previous.metrics \
                and previous.period is not None and not previous.period_assumed \
                and (current.metrics or INDICATOR_ASKED.search(current.text) and not LEDGER_ASKED.search(current.text)):
            # 各县区外资目标加起来是多少 after 全市上半年外资完成多少: a figure of the same family asked with no period
            # is of the period the conversation is on, not the newest (and of its metric, when it names none:
            # 全市目标是多少，各县区目标加起来又是多少 after 全市一季度外资完成进度); the answer says so
            current = replace(current, period=previous.period, period_assumed=False,
                              metrics=current.metrics or previous.metrics,
                              corrections=[*current.corrections, f"没说期间，按上一问的{previous.period.label}"
                                           + ("" if current.metrics else "、" + "、".join(m.name for m in previous.metrics))
                                           + "理解"])
        if current.follow_up and against_city(current.text) and all(r.is_city for r in current.regions):
            current = replace(current, regions=[])  # 县区里比全市快的有几个 after the city's figure: the counties
        if current.follow_up and BOTH_ASKED.search(current.text) and len(turns) >= 2:
            # 两家进度差几个点 after 旬阳上半年外资进度多少, 高新呢: the places of the last two turns, side by side
            both = list(dict.fromkeys(r for regions in turns[-2:] for r in regions if not r.is_city))
            if len(both) == 2 and not any(not r.is_city for r in current.regions if r not in both):
                # …and the city beside them where their share of it is asked (这俩加一块占全市几成)
                city = [r for r in current.regions if r.is_city] if SHARE_OF_CITY.search(current.text) else []
                current = replace(current, regions=both + city)
        if self.store is None:
            # with no project database there is no list of projects, companies or departments a name is missing from
            # (公司法规定有限公司 is no company the database lacks): the documents answer
            current.slots.unknown_project = current.slots.unknown_department = None
            current.slots.unknown = []
        return current

    def _named_again(self, question: str, previous: Parsed | None, history: list[str] | None = None) -> str:
        """这个联络处负责人是谁 after 驻西安招商联络处首谈了哪些项目: a thing pointed back to by its kind (这个联络处, 那个
        项目, 这家企业, 该问题) is the one of that kind the turn before named — or, of the one project it named, the
        office that first met it or the company investing (那个联络处负责人叫啥 after 某项目是哪个单位首谈的) — written
        out: the question is then understood on its own, not as the earlier question with one slot changed."""
        m = POINTED_BACK.search(question)
        if previous is not None and m is None and (it := IT_SUBJECT.search(question)) and not previous.slots.project \
                and self.store is not None and previous.intents != ["policy"]:
            # 合同约定它最晚啥时候开工 after 签了约还没动工的是哪个, whose answer listed one project: that one
            listed = self._projects_listed(previous, history or [])
            return question[: it.start()] + listed[0] + question[it.end():] if len(listed) == 1 else question
        if previous is not None and m is None and (he := HE_SUBJECT.search(question)) and self.store is not None:
            # 他手上一共管着几个项目 after 瀛湖康养度假区的项目管家是谁: the one person the answer named
            lead = self._figures_given(previous, history or []).lead
            people = [p for p in self.vocab.names.people if p and p in lead]
            return question[: he.start()] + people[0] + question[he.end():] if len(people) == 1 else question
        if previous is None or m is None:
            return question
        slots, kind = previous.slots, "联络处" if m.group(1) == "办事处" else m.group(1)
        city = slots.city or slots.source or slots.owner
        named = {"项目": slots.project, "企业": slots.enterprise, "公司": slots.enterprise, "问题": slots.problem_code,
                 "联络处": next((name for name, at, _ in self.vocab.names.offices if at == city), None) if city else None,
                 }.get(kind)
        if not named and kind == "项目" and self.store is not None and previous.intents != ["policy"]:
            # 这个项目卡在啥问题上 after 杭州办首谈的项目有哪些, whose answer listed one project: that one
            listed = self._projects_listed(previous, history or [])
            named = listed[0] if len(listed) == 1 else None
        if not named and slots.project and kind in ("联络处", "企业", "公司", "问题") and self.store is not None:
            try:
                card = find_project(self.store, slots.project)  # the project the turn before named, by its full name
            except InvalidValue:
                return question
            codes = [b.code for b in card.problems]
            of_it = {"联络处": card.source_unit, "问题": codes[0] if len(codes) == 1 else None}.get(kind, card.enterprise)
            offices = {name for name, _, _ in self.vocab.names.offices}
            named = of_it if of_it and (kind != "联络处" or of_it in offices) else None
        if not named:
            return question
        rest = question[m.end():]
        if kind == "问题":
            named += "问题"  # WT-2023-002问题: still a question about the problem ledger
        return question[: m.start()] + named + ("，" if rest[:1].isdigit() else "") + rest  # 问题，7月7号

    def _county_of_project(self, name: str) -> list[RegionName]:
        """The region of the project named, as the vocabulary knows it ([] when the database has no such project)."""
        try:
            card = find_project(self.store, name) if self.store is not None else None
        except InvalidValue:
            return []
        return [r for r in self.vocab.regions if card is not None and r.name == card.region]

    def _projects_listed(self, asked: Parsed, history: list[str]) -> list[str]:
        """The names of the projects the answer to `asked` listed (a list, or a lifecycle window's projects)."""
        return [i.name for r in self._figures_given(asked, history).results
                if isinstance(r, ProjectList | StalledProjects) for i in r.items]

    def _picked_from_list(self, question: str, previous: Parsed | None, history: list[str]) -> str:
        """港资那个到位多少钱了 after 有哪些外资项目: one project of the list just given, picked by what it is (外资那个,
        签了约还没开工的那个) or a word of its name (港资那个), written out by its name — when exactly one fits."""
        m = PICKED_ONE.search(question)
        if previous is None or m is None or self.store is None or previous.intents == ["policy"]:
            return question
        items = [item for r in self._figures_given(previous, history).results if isinstance(r, ProjectList)
                 for item in r.items]
        said = parse(m.group("desc") + "项目", self.vocab, self.today, self.settings.max_question_chars).slots
        if said.project:
            fits = [i for i in items if i.name == said.project]
        elif said.foreign or said.stage:
            fits = [i for i in items if (not said.foreign or i.is_foreign) and (not said.stage or i.stage == said.stage)]
        else:
            words = [w for w in tokenize(m.group("desc")) if len(w) >= 2]
            fits = [i for i in items if words and all(w in i.name for w in words)]
        if len(fits) != 1:
            return question
        return question[: m.start()] + fits[0].name + question[m.end():]

    def _figures_given(self, asked: Parsed, history: list[str]) -> Composition:
        """The figures the grounded answer to an earlier question (`asked`, with its own history) gave."""
        return self._figures(asked, self._plan(asked, history), self.store)[1]

    def _answered_places(self, asked: Parsed, history: list[str]) -> list[RegionName]:
        """The regions the answer to `asked` names first (the place a ranking question asked for)."""
        comp = self._figures_given(asked, history)
        lead = comp.lead.split("。")[0]
        return self.vocab.find_regions(lead) if comp.results else []

    def route(self, question: str, history: list[str] | None = None) -> Plan:
        """What the grounded mode does for a question: the tool calls (tool, parameters from the question's
        slots) and whether it quotes documents. Public so that routing can be inspected and tested."""
        return self._plan(self.understand(question.strip(), history), history)

    def _plan(self, parsed: Parsed, history: list[str] | None) -> Plan:
        scores = self.router.scores(self._route_text(parsed, history))
        return plan_for(parsed, scores, self._latest_period)

    def _clause_calls(self, parsed: Parsed, history: list[str] | None, plan: Plan) -> list[Call]:
        """The tool calls a question asking two things in turn (上半年高新外资到位多少，比序时落后几个点; 汉滨项目到位
        资金多少，资金到位率排第几) needs beyond `plan`, the whole question's, which routes to one of them: each asking
        clause planned too — the first as a question of its own, the next as its follow-up — and the tools they need
        that the plan lacks. Only the places the question names are looked up: a clause read alone names no other. (A
        follow-up's clauses lean on the turns before it, which the whole question reads better.)"""
        parts = asking_clauses(parsed.text)
        if not plan.calls or len(parts) != 2 or parsed.follow_up:
            return []
        places = {r.name for r in parsed.regions}
        added: list[Call] = []
        before = list(history or [])
        for part in parts:
            sub = self.understand(part, before)
            if sub.injection or {r.name for r in sub.regions} - places:
                return []
            added += [call for call in self._plan(sub, before).calls
                      if all(c.tool != call.tool for c in [*plan.calls, *added])]
            before = [*before, part]
        return added

    def _figures(self, parsed: Parsed, plan: Plan, store: FigureStore | None) -> tuple[Plan, Composition, list[str]]:
        """Run the planned tools. When the chosen tool does not hold what the question asks for (宁德时代的注册资本:
        the enterprise table has no such column), try the next tools the question fills; when none does, drop the
        figures and answer from the documents, saying which asked-for words the database lacks."""
        known = [r.name for r in self.vocab.regions]
        comp = Composition()
        if plan.calls and store is None:
            # no project database here (a documents-only deployment): the documents answer, and say so
            comp = Composition(notes=["项目数据库尚未导入，以上只依据知识库文档；数据以导入数据库后的查询为准。"])
            return plan.without_calls(), comp, []
        figures_for(parsed, store, comp, known, plan)
        if not plan.calls or not comp.results or comp.settled:
            return plan, comp, []
        if gives_another_set(parsed.text, comp.figures):
            # 那146个问题里涉及用地的有几个: the ledger's rows are not the set the question counts (a report's
            # total); the documents may break that set down, the database cannot
            return plan.without_calls(), Composition(notes=[GIVEN_SET_NOTE]), []
        synonyms = load_synonyms(self.settings.synonyms_path)
        if comp.no_data and parsed.slots.enterprise:
            # 宁德时代属于哪一类企业 read as its projects, of which it has none: the company is in the database, so
            # the table that holds it answers — the next tool the question fills that finds rows, and only where it
            # states what is asked of the company (its 类别, 总部): its record is no answer to how much it plans to
            # invest
            if found := self._alternative(parsed, store, known, plan, synonyms, lambda trial: not trial.no_data and bool(
                    asked_enterprise_fields(parsed, trial.results))):
                return *found, []
        missing = uncovered(parsed, [REGISTRY[c.tool] for c in plan.calls], comp.results, synonyms)
        if not missing:
            return plan, comp, []
        if found := self._alternative(parsed, store, known, plan, synonyms, lambda trial: True):
            return *found, []
        return plan.without_calls(), Composition(), missing

    @staticmethod
    def _alternative(parsed: Parsed, store: FigureStore | None, known: list[str], plan: Plan, synonyms: Synonyms,
                     accept: Callable[[Composition], bool]) -> tuple[Plan, Composition] | None:
        """The first of the plan's alternative tools whose results cover what the question asks and that `accept`
        takes, with its composition; None when none does."""
        for name, calls in plan.alternatives:
            other = Plan(calls=calls, route=name, score=plan.score, policy=plan.policy, other=plan.other)
            trial = Composition()
            figures_for(parsed, store, trial, known, other)
            if trial.results and accept(trial) and not uncovered(parsed, [REGISTRY[name]], trial.results, synonyms):
                return other, trial
        return None

    def _define(self, parsed: Parsed, comp: Composition, access: Access) -> bool:
        """Answer a "what is X" question from the glossary (curated entries first, then defining sentences
        found in the corpus), citing the entry's source. False when no glossary term is in the question."""
        from assistant.onboarding.course import Course  # the course builds on this module

        if self._course is None:
            self._course = Course(self.settings, self.kb, self.store)
        terms, _ = self._course.glossary(access)
        # a term the corpus only uses (no defining sentence) is no definition: the documents answer instead
        named = [(len(name), t) for t in terms if t.defined
                 for name in (t.term, *t.aliases) if len(name) >= 2 and name in parsed.text]
        if not named:
            return False
        term = max(named, key=lambda item: (item[0], item[1].curated))[1]
        src = with_paragraph(self.kb, term.source)
        meta = self.kb.doc_meta(src.doc_id) if src.doc_id else {}
        verified = is_verified(meta) if meta else True  # a source outside the index: the curated file's own
        comp.citations.append(Citation(n=len(comp.citations) + 1, title=src.title, doc_number=src.doc_number,
                                       section=src.section, passage=src.quote, quote=src.quote, source=src.file_name,
                                       start=src.start, end=src.end, doc_id=src.doc_id, verified=verified,
                                       uploader=uploader_text(meta) if meta else ""))
        comp.lead = f"{term.term}：{term.definition.rstrip('。')}。[{len(comp.citations)}]"
        if term.curated or verified:  # the curated glossary file is a maintained source; an unverified upload is not
            comp.tool_values += numeric_values(term.definition)
        where = f"《{src.title}》" + (f"（{src.doc_number}）" if src.doc_number else "")
        state = UNVERIFIED_NOTE if not verified and find_numbers(src.quote) else ""
        comp.policy_lines.append(f"· 据{where}：{src.quote} [{len(comp.citations)}]{state}")
        return True

    def _document_fact(self, question: str, filters: SearchFilters) -> Answer | None:
        """信息共享那个办法是哪天印发的, 考核办法的文号: the fact ingest read off the document the question names, citing
        the passage that writes it (see document_facts); None when no such fact is asked of one document."""
        if not asks_fact(question):
            return None  # most questions: no per-document work on the hot path
        visible = {d: self.kb.heading(d) for d in self.kb.titles() if self.kb.passage_of(d, filters=filters)}
        fact = asked_fact(question, visible)
        if fact is None:
            return None
        meta = self.kb.doc_meta(fact.doc_id)
        title = str(meta.get("title", ""))
        if fact.value is not None:  # a labelled line's (联系人, 抄送): the passage holding the line writes it
            hit = self.kb.passage_of(fact.doc_id, holding=fact.line, filters=filters)
            found = fact.value.search(hit.text) if hit is not None else None
            if found is None:
                return None
            said = found.group(1).strip().rstrip("，,；;")
        else:
            value = str(meta.get(fact.field, ""))
            if not value:
                return None  # ingest found none in the heading: the passages may still say it (a 落款 it did not read)
            said = cn_day(value) if fact.field == "date" else value
            hit = self.kb.passage_of(fact.doc_id, holding=said, filters=filters)
        assert hit is not None  # visible above
        # the value as a passage writes it, or else as ingest read it off the document's head
        quote = " ".join(_window(hit.text, said).split()) if said in hit.text else f"（文件信息，入库时从文件头识别）{fact.label}：{said}"
        citation = citation_of(hit, quote, 1)
        lead = (f"《{title}》于{said}印发。[1]" if fact.field == "date" else f"《{title}》的{fact.label}是{said}。[1]")
        where = f"《{title}》" + (f"（{hit.doc_number}）" if hit.doc_number else "")
        text = f"{lead}\n\n【政策与文件依据】\n· 据{where}：{quote} [1]"
        checked = check_passages([citation], None, None)
        flagged = unsupported_numbers(text, [], checked.sourced([citation]), asked=question)
        return Answer(answer=text, citations=[citation], mode="grounded", flagged_numbers=flagged)

    def _outline(self, question: str, filters: SearchFilters | None, named_docs: list[str]) -> Answer | None:
        """205号答复函的下一步措施有哪几条, 人大调研报告列了几条问题: the items under the heading asked of, in the
        document's order, each cited at the passage opening it (see outline); None for any other question."""
        if not asks_items(question) or not (named_docs or DOCUMENT_WORDS.search(question)):
            return None
        retrieved = self.kb.search(question, k=OUTLINE_HITS, filters=filters)
        # a letter named by its number however the question calls it (205号答复函, 112号答复): its heading holds it
        numbered = [d for d in numbered_held(question, self.kb.headings_by_document()) if any(h.doc_id == d for h in retrieved)]
        docs = named_docs or numbered or list(dict.fromkeys(h.doc_id for h in retrieved))[:OUTLINE_DOCS]
        outline = outline_asked(question, {d: self.kb.passages_in_order(d, filters) for d in docs},
                                {d: self.kb.heading(d) for d in docs}, retrieved)
        if outline is None:
            return None
        citations = [citation_of(item.hit, opening(item.hit.text), n) for n, item in enumerate(outline.items, 1)]
        first = outline.items[0].hit
        where = f"《{outline.title}》" + (f"（{first.doc_number}）" if first.doc_number else "")
        lines = [f"· 据{where}“{item.label}”部分：{c.quote} [{c.n}]" for item, c in zip(outline.items, citations, strict=True)]
        text = f"{outline_lead(outline)}\n\n【政策与文件依据】\n" + "\n".join(lines)
        checked = check_passages(citations, None, None)
        # (the count is of the items cited, one citation each)
        flagged = unsupported_numbers(text, [len(outline.items)], checked.sourced(citations), asked=question)
        return Answer(answer=text, citations=citations, mode="grounded", flagged_numbers=flagged)

    def _of_figure_given(self, parsed: Parsed, comp: Composition) -> Parsed:
        """A follow-up asking the reason (为啥这么低) searched as a question about the figure it follows: the places
        the answer names (the ranking's last one, for 最低的是哪个) and the metric, then the question's own words."""
        if not parsed.follow_up or not REASON.search(parsed.text):
            return parsed
        places = self._regions_of(comp.lead) or [r.name for r in parsed.regions]
        if len(set(places)) > 2:
            places = []  # a list of places (12个县区低于序时进度): the reason is of the figure, not of each place
        metrics = [(m.aliases or (m.name,))[0] for m in parsed.metrics[:1]]
        return replace(parsed, text="".join([*dict.fromkeys(places), *metrics, parsed.text]))

    def _known_words(self, parsed: Parsed) -> list[str]:
        """The database's own names and the spans the question's slots were filled with."""
        names = self.vocab.names
        # vocab.words(): the regions' names and aliases, the projects' and companies' names
        return (self.vocab.words() + list(names.departments) + [w for c, aliases in names.chains for w in (c, *aliases)]
                + [w for o in names.offices for w in (o[0], o[1], *o[2])] + [span for span, _ in parsed.slots.spans]
                + names.people + [v for values in names.ledger_values.values() for v in values]
                + list(names.event_cities) + list(names.headquarters)  # (宁波那场活动: where events were held)
                + [span for _, span in parsed.slots.unknown] + [parsed.unknown_place])

    def _existing(self) -> dict[str, list[str]]:
        """What the database holds of each kind of body a question may name (for saying what exists)."""
        names = self.vocab.names
        return {"联络处": [name for name, _, _ in names.offices], "产业链": [c for c, _ in names.chains],
                "企业": list(names.enterprises), "责任部门": list(names.departments), "问题编号": list(names.problem_codes),
                "招商活动": list(names.event_titles)}

    def _written(self, word: str) -> bool:
        """Whether some passage writes `word`, or another way of writing it (联系电话 as 电话, synonyms.yaml)."""
        return self.kb.writes(word) or any(self.kb.writes(o) for o in load_synonyms(self.settings.synonyms_path).forms(word))

    def _latest_period(self, metrics: list[str], regions: list[str]) -> str | None:
        newest = self.vocab.latest_for(metrics, regions)
        return newest.key if newest else None

    def _route_text(self, parsed: Parsed, history: list[str] | None) -> str:
        """A follow-up (那恒口呢？) is routed as the question it changes; one asking a kind of question the turns
        before it did not (哪几个没达到序时进度 after a ranking, 排第几 after a figure) as those turns and itself."""
        if parsed.of_answer and parsed.regions:
            # 它的年度目标是多少: what is asked of the place 它 stands for, whatever the turn before asked
            return ANAPHORA.sub(parsed.regions[0].name, parsed.text)
        if parsed.topic:
            return f"{parsed.topic}，{parsed.text}"  # 要是一个月没进展呢 after the ledger's update rule: of that rule
        if parsed.follow_up and history:
            turns = history[-6:]
            for i in range(len(turns) - 1, -1, -1):
                if len(turns[i]) > 16 or not FOLLOW_UP.search(turns[i]):
                    before = "，".join(turns[i:])
                    # …or a rate of them (资金到位率呢 after 恒口有哪些项目): what is asked is new, the rows are the same
                    # (…or who is in charge of it: 它的负责人是谁 after 某项目现在啥进展; …or the places set against
                    # the city's figure just given: 县区里进度比全市快的有几个)
                    if any(ask.search(parsed.text) and not ask.search(before)
                           for ask in (RANK, LAG, RATE_ASKED, IN_CHARGE, CITY_LEVEL)):
                        return f"{before}，{parsed.text}"
                    return self._in_place_of(turns[i], parsed)
        return parsed.text

    def _in_place_of(self, text: str, parsed: Parsed) -> str:
        """`text` (the question a follow-up changes) about the follow-up's places where it changes the city for a
        county or the other way (其中高新区多少 after 全市上半年外资): the city's figure and a county's are asked of
        different tools, and the router reads the city and a county as different words."""
        named = self.vocab.find_regions(text)
        if not parsed.regions or not named or {r.is_city for r in named} == {r.is_city for r in parsed.regions}:
            return text
        for region in named:
            for word in sorted({region.name, *region.aliases}, key=len, reverse=True):
                text = text.replace(word, parsed.regions[0].name)
        return text

    def ask(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
            access: Access = FULL_ACCESS) -> Answer:
        """`access` is the asking user's clearance: chunks of other disclosure classes are never retrieved
        and a county officer's tools see only their region's rows (plus city-wide aggregates)."""
        agent = self._agent(question, history, filters, access)
        if agent is not None:
            return agent.ask(question.strip(), history)
        answer = self.ask_grounded(question, history, filters, access)
        if self.settings.llm_base_url and self.chat_model is None:
            answer.warnings.append(LLM_MODEL_MISSING)
        return answer

    def stream(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
               access: Access = FULL_ACCESS) -> Iterator[str | Answer]:
        """Yield text pieces as they are ready, then the final Answer."""
        agent = self._agent(question, history, filters, access)
        if agent is not None:
            yield from agent.stream(question.strip(), history)
            return
        answer = self.ask(question, history, filters, access)
        for block in answer.answer.split("\n"):
            yield block + "\n"
        yield answer

    def figure_store(self, region: str | None = None) -> FigureStore | None:
        """The database as a user bound to `region` sees it (None: every region); picks up a database imported
        after start-up, and the vocabulary of one imported since; None while there is none."""
        self._follow_imports()
        return self.store.scoped(region) if self.store is not None else None

    def scoped(self, filters: SearchFilters | None, access: Access) -> tuple[SearchFilters, FigureStore | None]:
        """The search filters and figure store one user's question may use."""
        return (filters or SearchFilters()).within(access.classes), self.figure_store(access.region)

    def _agent(self, question: str, history: list[str] | None, filters: SearchFilters | None, access: Access
               ) -> Agent | None:
        """An LLM-mode agent for this question, or None for the grounded path (no model configured, an
        empty question, or one that asks to override the rules — refused the same way in both modes)."""
        if self.chat_model is None or not (question or "").strip() or INJECTION.search(question):
            return None
        from assistant.answer.agent import Agent, Context
        from assistant.answer.llm_tools import PolicyLibrary, Toolbox

        filters, store = self.scoped(filters, access)
        latest = max(self.vocab.latest.values(), default=None)
        context = Context(self.today or date.today(), [r.name for r in self.vocab.regions],
                          f"{latest.key}（{latest.label}）" if latest else "")
        toolbox = Toolbox(store, PolicyLibrary(self.kb, filters))
        return Agent(self.chat_model, toolbox, context, lambda: self.ask_grounded(question, history, filters, access),
                     max_steps=self.settings.llm_max_steps)

    def ask_grounded(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
                     access: Access = FULL_ACCESS) -> Answer:
        question = (question or "").strip()
        if not question:
            return Answer(answer="请输入问题，例如：" + "；".join(_examples()), mode="grounded")
        filters, store = self.scoped(filters, access)
        parsed = self.understand(question, history)
        warnings: list[str] = []
        if parsed.truncated:
            limit = self.settings.max_question_chars
            warnings.append(f"问题超过 {limit} 字，只按前 {limit} 字处理。")
        if parsed.injection:
            if (rest := without_injection(question)) and not INJECTION.search(rest):
                # a question with an instruction planted in another sentence: the question is answered, the
                # instruction is not followed (and not repeated: it may carry a number meant to be printed)
                answer = self.ask_grounded(rest, history, filters, access)
                answer.answer = f"{INJECTION_NOTE}\n\n{answer.answer}"
                answer.warnings = warnings + answer.warnings
                return answer
            return Answer(answer=REFUSAL, mode="grounded", warnings=warnings)
        comp = Composition()
        if not history and (len(parsed.text) <= 10 and FOLLOW_UP.search(parsed.text) or ANAPHORA.search(parsed.text)
                            or bare_attribute(parsed) or bare_period(parsed) or SAID_BEFORE.search(parsed.text)):
            example = f"“{parsed.regions[0].name}2023年一季度外资完成进度？”" if parsed.regions else "“恒口一季度外资完成进度？”"
            return Answer(answer=f"这像是对上一个问题的追问，但本次对话还没有上一个问题。请把问题问完整，例如{example}",
                          mode="grounded", warnings=warnings)
        if which := ambiguous_body(parsed, self.vocab.names.departments, self.vocab.regions):
            return Answer(answer=which, mode="grounded", warnings=warnings)
        mismatch, refused = unit_mismatch(parsed)
        if refused:
            return Answer(answer=mismatch, mode="grounded", warnings=warnings)
        if mismatch:
            parsed.corrections.append(mismatch)  # (the amount in the metric's own unit, said in 【说明】)
        if pasted_code(parsed.text):
            return Answer(answer=CODE_REFUSAL, mode="grounded", warnings=warnings)
        if asks_opinion(parsed.text):
            return Answer(answer=OPINION_REFUSAL, mode="grounded", warnings=warnings)
        if asks_errand(parsed.text):
            return Answer(answer=ERRAND_REFUSAL, mode="grounded", warnings=warnings)
        if asks_prediction(parsed.text):
            return Answer(answer=PREDICTION_REFUSAL, mode="grounded", warnings=warnings)
        if issuer := missing_issuer(parsed.text, self.kb.heads):
            return Answer(answer=f"知识库中没有找到{issuer}印发的文件，为避免误导，不用其他单位的文件代替回答。",
                          mode="grounded", warnings=warnings)
        if document := unheld_document(parsed.text, self.kb.headings(), self.kb.writes):
            return Answer(answer=f"知识库中没有找到{document}，为避免误导，不用其他文件代替回答。",
                          mode="grounded", warnings=warnings)
        named_docs = named_held(parsed.text, self.kb.headings_by_document())
        if named_docs := [d for d in named_docs if filters is None or filters.doc_ids is None or d in filters.doc_ids]:
            # 205号提案答复里…: the letter named answers, not another one on the same topic
            filters = replace(filters or SearchFilters(), doc_ids=named_docs)
        events = self.vocab.names.event_titles
        if edition := unheld_edition(parsed.text, lambda t: self.kb.writes(t) or any(t in title for title in events)):
            return Answer(answer=f"知识库和项目数据库中都没有找到{edition}的内容，其他届次、期次的情况不能代替，为避免误导，不作推测。",
                          mode="grounded", warnings=warnings)
        if person := unheld_person_detail(parsed.text, self.kb.writes_near, self.vocab.names.people):
            return Answer(answer=person, mode="grounded", warnings=warnings)
        if issue := unheld_issue(parsed.text, parsed.slots.ledger_on, self.vocab.names.issues):
            return Answer(answer=issue, mode="grounded", warnings=warnings)
        if subject := unknown_subject(parsed.text, self.kb.knows, self._known_words(parsed), self.kb.writes):
            return Answer(answer=f"知识库和项目数据库中都没有关于“{subject}”的内容，为避免误导，不作推测。请核对名称。",
                          mode="grounded", warnings=warnings)
        if fact := self._document_fact(parsed.text, filters):
            return fact
        if listed := self._outline(parsed.text, filters, named_docs):
            return listed
        whole = self._plan(parsed, history)
        plan, comp, missing = self._figures(parsed, whole, store)
        if comp.results and not (comp.no_data or comp.settled or missing) and plan is whole and (
                extra := self._clause_calls(parsed, history, whole)):
            # the whole question's tool answered; what its other clause asks is run beside it, after it (its first
            # result still leads the answer), and kept only where the figures still answer everything asked
            both = self._figures(parsed, replace(whole, calls=[*whole.calls, *extra]), store)
            if both[1].results and not (both[1].no_data or both[1].settled or both[2]):
                plan, comp, missing = both
        if named_docs or SAID_IN_DOCUMENT.search(parsed.text):
            # what the letter named says, not the database's figures (what the tools lack still tells which words
            # no table holds: 刘文涛委员是哪个界别的 asks a 界别 the letter does not state either)
            plan.calls, plan.policy, comp = [], True, Composition()
        # 报名截止时间: no tool holds it, but 时间 is the kind of value asked for, not a word the quotes must name
        # …nor is 方式 of 哪几种招商方式, the kind of things listed: a passage lists them without writing the kind
        lacking = bool(missing)  # the database lacks something asked (哪个国家 of a project: the kind of value)
        # …nor the words naming the document asked of (年终总结说…): where the answer is, not what it is
        missing = [w for w in missing if not names_the_value(parsed.text, w) and not names_the_kind(parsed.text, w)
                   and not (named_docs and any(w in m.group(0) for m in KIND_NAMED.finditer(parsed.text)))]
        # Documents also answer data questions the database cannot (a 2019 figure in an interview) and give
        # the reasons and measures a mixed question asks for; the relevance filter in policy_for keeps this
        # from padding: passages that do not match the question are never cited.
        defined = plan.route == "define" and not plan.calls and self._define(parsed, comp, access)
        # a question asking why (2023年外资为什么完成不好) wants the reasons, not another table of that period
        asks_why = WHY.search(parsed.text) is not None
        # the value asked for under a name no document writes (平均年龄多大, 叫什么名字): no passage can state it, and
        # passages about the question's other words would only pad a "cannot answer"
        unstated = [w for w in missing if not self._written(w) and asked_directly(w, parsed.text)]
        if not plan.calls and not missing and not defined:
            # no tool was chosen, so none said what it lacks: a property asked of something (通威集团的注册地址在哪)
            # under a name neither the documents nor the database's names write is as unstated
            known = self._known_words(parsed)
            unstated = missing = [w for w in asked_terms(parsed) if asked_of_something(w, parsed.text)
                                  and not names_the_value(parsed.text, w) and not self._written(w)
                                  and not any(w in k for k in known)]
        if not comp.settled and plan.calls and comp.no_data and not asks_why:
            # the figure is not in the database: quote a document only where it speaks of that period
            periods = sorted({str(v) for c in plan.calls for k, v in c.params.items()
                              if REGISTRY[c.tool].slots.get(k) == "period"})
            # a question about the rule (要求不低于多少) is answered by the rule, whatever year it names
            policy_for(parsed, self.kb, comp, filters, regions_of=self._regions_of,
                       periods=None if RULE.search(parsed.text) else [period_mentions(key) for key in periods] or None)
        elif not comp.settled and (plan.policy or asks_why) and not defined and not unstated:
            unknown_project = parsed.slots.unknown_project if not parsed.slots.project else None
            # a project, office, chain or company the database lacks: quote only passages that name it
            unknown_forms_ = [f for kind, span in parsed.slots.unknown for f in unknown_forms(kind, span)]
            # an attribute word no passage writes (业绩 where the documents say 实绩) cannot be required of a passage:
            # the documents are searched as for any question, on the stricter evidence bar
            # and a word naming where the answer is said (日报访谈里局长说…: an interview's masthead and byline) is
            # matched by the document's heading, not required of the passage's own words
            required = [w for w in missing if self.kb.writes(w) and not self.kb.heads(w)]
            policy_for(self._of_figure_given(parsed, comp), self.kb, comp, filters, strict=plan.outside or (bool(missing) and not required),
                       regions_of=self._regions_of,
                       mentions=[core_name(unknown_project)] if unknown_project else (
                           unknown_forms_ or required or None),
                       names=[core_name(n, kind) for n, kind in ((parsed.slots.project, "project"),
                                                                  (parsed.slots.enterprise, "enterprise")) if n]
                       + [m.group(1) for m in ORIGIN.finditer(parsed.text) if m.group(1) in missing]
                       if lacking else None)
        # (the asked words are looked up in the index only where this can apply: it scans every passage)
        if plan.calls and comp.citations and not any(f.value is not None for f in comp.figures) \
                and (asked_words := [w for w in asked_terms(parsed) if self.kb.writes(w) and not self.kb.heads(w)]) \
                and not any(all(w in c.passage for w in asked_words) for c in comp.citations):
            # with no figure found, a passage speaking of only some of the things asked (2024年计划开展培训… for
            # 2024年人才库计划扩充到多少人) answers nothing: every asked word the documents write, in one passage
            comp.policy_lines, comp.citations = [], []
        # a set the question gives by its count is the documents' whether or not a tool was tried first
        given = GIVEN_SET_NOTE in comp.notes or not plan.calls and bool(given_counts(parsed.text))
        if given and (part := subset_unanswered(parsed.text, [c.passage for c in comp.citations])):
            # the documents give the set's total, not the part asked: quoting the total would read as an answer
            comp.policy_lines, comp.citations, comp.notes = [], [], []
            comp.lead = f"项目数据库中没有那一批的明细，知识库文档中也没有找到其中“{part}”的单独统计，为避免误导，不作推测。"
        elif premise_unanswered(parsed.text, comp.figures, [c.quote for c in comp.citations]):
            # 那121.8万美元外资是哪几个项目进的: the figure given, restated, is no answer to what is asked of it
            comp.figure_lines, comp.figures, comp.policy_lines, comp.citations, comp.notes = [], [], [], [], []
            comp.lead = ("项目数据库和知识库中都没有找到问的这一点：文档只写了问题里说的那个数本身，没有它的明细，"
                         "为避免误导，不作推测。")
        elif reason_unanswered(parsed.text, [w for r in parsed.regions if not r.is_city for w in (r.name, *r.aliases) if w],
                               [c.quote for c in comp.citations], comp.figures):
            # 汉阴县一季度内资同比下降了18.35%，主要是啥原因: the figure, given, restated, with no reason of that place
            comp.figure_lines, comp.figures, comp.policy_lines, comp.citations, comp.notes = [], [], [], [], []
            comp.lead = ("知识库文档中没有找到对这一情况原因的分析（问题里说的数字本身不是原因），项目数据库也不记录原因，"
                         "为避免误导，不作推测。")
        elif not comp.figures and (choice := choice_unspoken(parsed.text, [c.passage for c in comp.citations])):
            # 他是局长还是副局长 quoted with a passage writing neither: the documents do not say which
            comp.policy_lines, comp.citations, comp.notes = [], [], []
            comp.lead = f"知识库文档中没有写明这一点（{choice}），项目数据库中也没有这项信息，为避免误导，不作推测。"
            missing = []  # (the words the database lacks are no news beside that)
        elif given and (asked := set_unspoken(parsed.text, [c.quote for c in comp.citations])):
            # a quote about other projects than the batch asked of (the chains' signings for 那31个项目里…)
            comp.policy_lines, comp.citations, comp.notes = [], [], []
            comp.lead = f"项目数据库中没有那一批的明细，知识库文档中也没有找到说到其中“{asked}”的内容，为避免误导，不作推测。"
        if missing:
            asked = "、".join(f"“{w}”" for w in missing)
            if comp.policy_lines or defined:
                # the words naming the document quoted (局长, 日报) are not data the database lacks
                if attributes := [w for w in missing if not self.kb.heads(w)]:
                    comp.notes.append(f"项目数据库中没有{'、'.join(f'“{w}”' for w in attributes)}这项数据，"
                                      "以上是知识库文档中的说法（未经数据库核对）。")
            else:
                comp.lead = f"项目数据库中没有{asked}这项数据，知识库中也没有找到相关内容，为避免误导，不作推测。"
        # a later period's data is not in the database; what a document proposes or plans for later is (人大调研建议
        # 瀛湖今后主攻啥产业, 下一步打算): its quoted proposals stay
        if plan.future and not (comp.policy_lines and ASKS_PLANS.search(parsed.text)):
            comp.lead = "项目数据库只有已经发生的数据，问题问的是以后的期间，暂时没有相关数据。"
            comp.policy_lines, comp.citations = [], []
        if parsed.corrections:
            comp.notes.append("；".join(parsed.corrections) + "。")
        if parsed.slots.unknown and not plan.calls:
            comp.lead = unknown_lead(parsed.slots.unknown, self._existing(), bool(comp.policy_lines))
        unknown = parsed.slots.unknown_project if not parsed.slots.project and not plan.calls else None
        if unknown:
            comp.lead = (f"项目库中没有“{unknown}”；以下是知识库文档中的相关内容。" if comp.policy_lines else
                         f"项目库中没有“{unknown}”，知识库中也没有找到相关内容。请核对项目名称（可只写其中有区分度的部分）。")
        if plan.calls and comp.no_data and comp.results and comp.policy_lines:
            comp.lead += "以下是知识库文档中的相关说法（未经数据库核对）。"
        elif plan.calls and comp.no_data and comp.results and not comp.settled:
            comp.notes.append("项目数据库和知识库中都没有找到这项数据。")
        explicit = parsed.period.key if parsed.period and not parsed.period_assumed else None
        checked = check_passages(comp.citations, store, explicit)
        titles = {c.n: c.title for c in comp.citations}
        for conflict in checked.conflicts:
            comp.notes.append("文档与数据库不一致：" + conflict.describe(titles.get(conflict.citation, "")))
        if checked.conflicts:
            warnings.append(f"引用的文档中有 {len(checked.conflicts)} 个数字与数据库不一致，已在【说明】中列出，请以数据库为准。")
        unverified = unverified_notes(comp.citations)
        comp.notes += unverified
        if unverified:
            warnings.append(f"引用了 {len(unverified)} 个未核验的文档，其中未经数据库印证的数字不算有来源，已在【说明】中列出。")
        text = comp.text()
        if not comp.figure_lines and not comp.policy_lines and not comp.lead:
            text = nothing_found() + ("\n\n" + "\n".join(comp.notes) if comp.notes else "")
        flagged = unsupported_numbers(
            text, [f.value for f in comp.figures if f.value is not None] + comp.tool_values,
            checked.sourced(comp.citations), asked=f"{question} {parsed.text}",  # (“7.14”按“7月14日”理解 quotes the asker)
        )
        if flagged:
            warnings.append("以下数字未能在数据库或引用原文中找到来源，请核对：" + "、".join(flagged))
        return Answer(answer=text, citations=comp.citations, figures=comp.figures, mode="grounded",
                      warnings=warnings, flagged_numbers=flagged)


# A question naming a document or a kind of document, whose items it may ask for (see _outline).
DOCUMENT_WORDS = re.compile(r"报告|答复|办法|总结|手册|访谈|通知|通报|文件|调研|提案|建议|意见|方案|规定|细则|条例|半年报|年报|季报|纪要|讲话")
OUTLINE_HITS, OUTLINE_DOCS = 10, 3
# What a kind of document is said to say (调研报告里说…, 答复函中提到…, 总结里讲的): the documents answer, not a table.
SAID_IN_DOCUMENT = re.compile(r"(?:报告|答复函?|总结|办法|手册|访谈|通知|通报|文件)(?:里|中|上)(?:说|讲|提到?|写|称)")
# One of the items just listed, picked by what it is: 港资那个, 其中外资那个, 签了约还没开工的那个.
PICKED_ONE = re.compile(r"^(?:其中|里面|里头|那|这)?(?P<desc>[^，。？?]{1,14}?)的?(?:那|这)(?:个|家|一个)(?!项目|企业|公司|联络处|问题)")
# A thing pointed back to by its kind (这个联络处, 那个项目, 这家企业, 该问题).
POINTED_BACK = re.compile(r"(?:这个|那个|这家|那家|该|此)(联络处|办事处|项目|企业|公司|问题)")


# An indicator's attribute asked (目标, 完成进度, 同比), not a ledger's rows: of the figure the conversation is on.
INDICATOR_ASKED = re.compile(r"目标|任务|完成进度|序时|同比|增速|增幅")
LEDGER_ASKED = re.compile(r"项目|问题|企业|活动|台账|联络处|走访")


def _window(text: str, value: str, width: int = 80) -> str:
    """The part of a passage around `value` (the whole passage when short or when it does not hold it)."""
    at = text.find(value)
    if at < 0 or len(text) <= 2 * width:
        return text[: 2 * width]
    start = max(0, at - width)
    return ("…" if start else "") + text[start: at + len(value) + width] + ("…" if at + len(value) + width < len(text) else "")


def _examples() -> list[str]:
    from assistant.answer.declines import EXAMPLES

    return EXAMPLES[:3]
