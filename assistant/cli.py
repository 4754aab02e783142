"""Command-line entry point. Thin: parse options, call one library function, print."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from assistant.answer.types import page_note
from assistant.auth.cli import audit_command, users_group
from assistant.backup_cli import backup_command, restore_command
from assistant.cli_types import Choice
from assistant.cli_workspace import cli_workspace
from assistant.config import Settings, get_settings
from assistant.corpus.loaders import supported_types_text
from assistant.db.cli import db_group, figures_group
from assistant.drafting.cli import draft_group
from assistant.errors import AssistantError, QuestionTooLong
from assistant.index.disclosure import describe as describe_class
from assistant.index.provenance import describe as describe_verification
from assistant.ledgers.cli import ledgers_group
from assistant.onboarding.cli import learn_group
from assistant.state.engine import state_url

if TYPE_CHECKING:
    from assistant.answer.types import Answer
    from assistant.corpus.ocr import OcrPage
    from assistant.index.kb import KnowledgeBase


@click.group(help="招商知识助手命令行")
@click.version_option(package_name="zhaoshang-assistant")
@click.option("--as", "as_user", metavar="用户名",
              help="以某个账号的权限执行（如县区账号只能查本地区数据）并以该账号记入审计；默认为本机操作员（全部权限）")
def main(as_user: str | None) -> None:
    pass


main.add_command(db_group)
main.add_command(figures_group)
main.add_command(ledgers_group)
main.add_command(draft_group)
main.add_command(learn_group)
main.add_command(users_group)
main.add_command(audit_command)
main.add_command(backup_command)
main.add_command(restore_command)


@contextmanager
def knowledge_base(settings: Settings | None = None) -> Iterator[KnowledgeBase]:  # noqa: F821
    from assistant.index.kb import KnowledgeBase

    kb = KnowledgeBase(settings or get_settings())
    try:
        yield kb
    except AssistantError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kb.close()


class _Bar:
    """Files read and stored, as a tqdm bar on a terminal; in a log file (stderr not a terminal) a plain line
    every LOG_EVERY_S seconds, so that a long ingest run by cron or systemd does not look hung."""

    LOG_EVERY_S = 10.0

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._total, self._done = total, 0
        self._started = self._logged = time.monotonic()
        self._tty = sys.stderr.isatty()
        self._bar = tqdm(total=total, unit="个文件", desc="入库", file=sys.stderr, disable=not self._tty)

    def update(self, n: int) -> None:
        self._bar.update(n)
        self._done += n
        now = time.monotonic()
        if not self._tty and now - self._logged >= self.LOG_EVERY_S:
            self._logged = now
            self._log(now)

    def _log(self, now: float) -> None:
        share = self._done / self._total * 100 if self._total else 100.0
        per_file = (now - self._started) / max(self._done, 1)
        click.echo(f"入库进度：{self._done}/{self._total} 个文件（{share:.0f}%），"
                   f"预计还需 {per_file * (self._total - self._done):.0f} 秒", err=True)

    def close(self) -> None:
        self._bar.close()
        if not self._tty and self._done:
            self._log(time.monotonic())


class _OcrPages:
    """A line per scanned page read by OCR on a terminal (a long scan takes seconds a page); in a log file
    (stderr not a terminal) the first and last page of each file, every LOG_EVERY-th page with the time left,
    and every page with a warning, so that a 300-page scan does not flood the log."""

    LOG_EVERY = 10

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._started: dict[str, float] = {}

    def __call__(self, name: str, page: OcrPage, total: int) -> None:
        now = time.monotonic()
        started = self._started.setdefault(name, now - page.seconds)
        if not (self._tty or page.warning or page.number in (1, total) or page.number % self.LOG_EVERY == 0):
            return
        note = f"；{page.warning}" if page.warning else ""
        left = ""
        if not self._tty and 1 < page.number < total:
            per_page = (now - started) / page.number
            left = f"，预计还需 {per_page * (total - page.number):.0f} 秒"
        click.echo(f"文字识别“{name}”：第 {page.number}/{total} 页，{len(page.lines)} 行，置信度 {page.confidence:.2f}，"
                   f"{page.seconds:.1f} 秒{left}{note}", err=True)


@main.command(help=f"把文件或目录入库（{supported_types_text()}）。未变化的文件自动跳过。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="移除文件已不存在的文档")
def ingest(paths: tuple[Path, ...], prune: bool) -> None:
    from assistant.corpus.ocr import reporting_pages

    with cli_workspace() as workspace, reporting_pages(_OcrPages()):
        report = workspace.ingest(list(paths), prune=prune, progress=_Bar)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@main.group(help="列出已入库的文档及其公文信息、公开属性（及其依据）、入库者和核验状态；子命令 reclassify 更改公开属性，"
                 "verify 更改核验状态", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def docs(context: click.Context, as_json: bool) -> None:
    if context.invoked_subcommand is not None:
        return
    with cli_workspace() as workspace:
        records = workspace.documents()
    if as_json:
        for r in records:
            click.echo(json.dumps({"doc_id": r.doc_id, "file": r.file_name, "source": r.source,
                                   "chunks": r.n_chunks, **r.meta}, ensure_ascii=False))
        return
    if not records:
        click.echo("知识库为空。请先运行：assistant ingest corpus/")
        return
    for r in records:
        m = r.meta
        click.echo(f"《{m.get('title') or r.file_name}》 [{m.get('genre', '')}] {r.n_chunks} 段  ({r.file_name}，id {r.doc_id})")
        details = [
            ("文号", m.get("doc_number")), ("发文机关", m.get("office")), ("签发人", m.get("signer")),
            ("日期", m.get("date")), ("主送", m.get("recipient")),
        ]
        line = "；".join(f"{k}：{v}" for k, v in details if v)
        if line:
            click.echo(f"    {line}")
        click.echo(f"    公开属性：{describe_class(m)}")
        click.echo(f"    核验：{describe_verification(m)}")
    click.echo(f"共 {len(records)} 个文档。")


@docs.command("reclassify", help="更改一个文档的公开属性（仅管理员）：立即生效，重新入库同一文件时保留；记入审计日志")
@click.argument("document", metavar="文档id或文件名")
@click.argument("access", metavar="内部|公开", type=Choice(["内部", "公开"]))
@click.option("--reason", required=True, help="更改理由（记入审计日志和文档信息），如“含谈判底线，版记漏标”")
def docs_reclassify(document: str, access: str, reason: str) -> None:
    with cli_workspace() as workspace:
        done = workspace.reclassify(document, access, reason)
    record = done.record
    title = record.meta.get("title") or record.file_name
    change = f"由{done.previous}改为{access}" if done.previous != access else f"保持{access}（改为人工设定）"
    click.echo(f"《{title}》（{record.file_name}，id {record.doc_id}）公开属性{change}，已立即生效。")


@docs.command("verify", help="把一个文档标为已核验或未核验（仅管理员）：未核验文档中的数字只有与数据库一致的才算有来源；"
                            "按文件内容保存，重新入库同一文件时保留；记入审计日志")
@click.argument("document", metavar="文档id或文件名")
@click.argument("state", metavar="已核验|未核验", type=Choice(["已核验", "未核验"]))
@click.option("--reason", required=True, help="核验依据或理由（记入审计日志和文档信息），如“已与统计局季报核对”")
def docs_verify(document: str, state: str, reason: str) -> None:
    with cli_workspace() as workspace:
        done = workspace.verify(document, state, reason)
    record = done.record
    title = record.meta.get("title") or record.file_name
    change = f"由{done.previous}改为{state}" if done.previous != state else f"保持{state}（改为人工设定）"
    click.echo(f"《{title}》（{record.file_name}，id {record.doc_id}）核验状态{change}，已立即生效。")


def _filters(genre: str | None, year: int | None, office: str | None, access: str | None):  # type: ignore[no-untyped-def]
    from assistant.index.kb import SearchFilters

    return SearchFilters(genre=genre, year=year, office=office, access=[access] if access else None)


def _questions(question: str | None, batch: TextIO | None, limit: int, what: str) -> list[str]:
    """The question, or the batch file's lines. A line over the limit stops the batch before any line runs,
    naming the line (a single question over it is refused by the workspace)."""
    if batch is None:
        return [question or ""]
    lines = [line.rstrip("\n") for line in batch]
    for number, line in enumerate(lines, start=1):
        try:
            QuestionTooLong.check(line.strip(), limit, what)
        except QuestionTooLong as exc:
            raise click.ClickException(f"{Path(batch.name).name} 第 {number} 行：{exc}") from exc
    return lines


@main.command(help="在知识库中检索，返回段落及出处")
@click.argument("question", required=False)
@click.option("-k", default=5, show_default=True, type=click.IntRange(1, 50), help="返回条数")
@click.option("--json", "as_json", is_flag=True, help="每个问题输出一行 JSON（命中列表）")
@click.option("--batch", type=click.File("r", encoding="utf-8"), help="批量：文件中每行一个问题")
@click.option("--genre", help="按文种过滤，如 答复函、报告")
@click.option("--year", type=int, help="按年份过滤")
@click.option("--office", help="按发文机关过滤")
@click.option("--access", help="按公开属性过滤：公开 / 内部")
def search(question: str | None, k: int, as_json: bool, batch, genre, year, office, access) -> None:  # type: ignore[no-untyped-def]
    if not question and batch is None:
        raise click.UsageError("请给出检索问题，或用 --batch 文件 批量检索")
    filters = _filters(genre, year, office, access)
    with cli_workspace() as workspace:
        questions = _questions(question, batch, workspace.settings.max_question_chars, "检索问题")
        for q in questions:
            hits = workspace.search(q, k=k, filters=filters) if q.strip() else []
            if as_json or batch is not None:
                click.echo(json.dumps([h.as_json() for h in hits], ensure_ascii=False))
                continue
            if not q.strip():
                click.echo("问题为空，请输入要检索的内容。")
                continue
            if not hits:
                click.echo("知识库中没有找到相关内容。" if workspace.documents() else "知识库为空。请先运行：assistant ingest corpus/")
                continue
            for n, h in enumerate(hits, start=1):
                number = f" {h.doc_number}" if h.doc_number else ""
                click.echo(f"[{n}] 《{h.title}》{number} › {h.section or '正文'}  (得分 {h.score:.4f})")
                click.echo(f"    {h.text}")
                click.echo(f"    —— {Path(h.source).name} 第 {h.start}–{h.end} 字{page_note(h.page, h.ocr)}")


SYSTEM_NAMES = ("hybrid", "bm25", "dense", "naive")  # assistant.index.evaluate.SYSTEMS, known without importing it


@main.group("eval", help="评测")
def eval_group() -> None:
    pass


@eval_group.command("retrieval", help="检索评测：各语料的开发集与留出集并排，本系统、纯 BM25、仅向量与朴素基线同场，"
                                      "报告 hit@1、hit@5、MRR（默认按 tests/eval/retrieval.yaml 的全部语料，索引缓存在 --cache）")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--suites", "suites_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("tests/eval/retrieval.yaml"), show_default=True, help="语料与题目配置")
@click.option("--corpus", "only", multiple=True, help="只评测这个语料（可重复），如 --corpus gov")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("/tmp/zs-eval"),
              show_default=True, help="评测索引目录：首次建立（较慢），以后复用")
@click.option("--systems", default=",".join(SYSTEM_NAMES), show_default=True, help="参加评测的系统，逗号分隔")
@click.option("-k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每个语料、部分、系统的指标及逐题名次")
@click.option("--misses", is_flag=True, help="在标准错误输出中列出本系统在开发集上未排第一的题目（留出集不列出）")
def eval_retrieval(files: tuple[Path, ...], suites_file: Path, only: tuple[str, ...], cache: Path, systems: str,
                   k: int, as_json: bool, misses: bool) -> None:
    from assistant.index.evaluate import Suite, read_suites, render_table, run
    from assistant.index.evaluate import misses as miss_lines

    chosen = [s.strip() for s in systems.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SYSTEM_NAMES]
    if unknown or not chosen:
        raise click.ClickException(f"未知的系统：{'、'.join(unknown) or '（空）'}；可选：{','.join(SYSTEM_NAMES)}")
    try:
        if files:  # question files against the configured knowledge base, each file a part named by its stem
            suites = [Suite("知识库", "当前知识库", None, {p.stem: p for p in files})]
        elif not suites_file.is_file():
            raise click.ClickException(f"找不到评测配置“{suites_file}”。请在仓库根目录运行，或用 --suites 指定，或给出题目文件。")
        else:
            suites = read_suites(suites_file, only)
        report = run(suites, get_settings(), cache, chosen, k, say=lambda m: click.echo(m, err=True))
    except AssistantError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        click.echo(render_table(report), nl=False)
    if misses:
        for line in miss_lines(report, parts=[p for p in {r.part for r in report.results} if p != "heldout"]):
            click.echo(line, err=True)


@eval_group.command("ask", help="问答评测：逐题经问答引擎回答，开发集与留出集并排报告数字精确、来源、关键事实、"
                                "引用精确率、如实拒答、坏输入、未溯源数字和延迟（默认 tests/eval/ask/dev.tsv 与 heldout.tsv）")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：各文件、各题型汇总及逐题结果")
@click.option("--misses", is_flag=True, help="在标准错误输出中列出开发集上未通过或含未溯源数字的题目（留出集只计数不列出）")
@click.option("--corpus", "corpora", multiple=True,
              help="改用 tests/eval/retrieval.yaml 中的真实文档语料（可重复，如 --corpus gov）：其题目作政策题问答，"
                   "答案列为关键事实；不连项目数据库")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("/tmp/zs-eval"),
              show_default=True, help="--corpus 的评测索引目录（与 eval retrieval 共用）")
def eval_ask(files: tuple[Path, ...], as_json: bool, misses: bool, corpora: tuple[str, ...], cache: Path) -> None:
    from assistant.answer.engine import Assistant
    from assistant.answer.evaluate import DEFAULT_FILES, read_questions, render_table, run
    from assistant.answer.evaluate import misses as miss_lines

    if corpora:
        _eval_ask_corpora(corpora, cache, as_json, misses)
        return
    paths = list(files) or list(DEFAULT_FILES)
    absent = [str(p) for p in paths if not p.is_file()]
    if absent:
        raise click.ClickException(f"找不到评测文件：{'、'.join(absent)}。请在仓库根目录运行，或给出文件路径。")
    with knowledge_base() as kb:
        if kb.manifest.stats()[0] == 0:
            raise click.ClickException("知识库为空，请先运行：assistant ingest corpus/")
        # a part is named by its file stem (dev, heldout); the same stem twice keeps the full path
        names = [p.stem if [q.stem for q in paths].count(p.stem) == 1 else str(p) for p in paths]
        question_sets = {name: read_questions(p) for name, p in zip(names, paths, strict=True)}
        assistant = Assistant(kb.settings, kb=kb)
        if assistant.store is None:
            raise click.ClickException("项目数据库尚未导入，请先运行：assistant db import-demo corpus/data/")
        report = run(assistant, question_sets, kb.manifest.document_text)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        click.echo(render_table(report))
    if misses:
        for line in miss_lines(report):
            click.echo(line, err=True)
    if report.errors:
        first = report.errors[0]
        raise click.ClickException(f"{len(report.errors)} 个题目出错，如 {first.id}：{first.error}")


def _eval_ask_corpora(corpora: tuple[str, ...], cache: Path, as_json: bool, misses: bool) -> None:
    """Policy questions over real documents: each suite's questions asked of its own index (no project
    database), the suite's answer span as the key fact, development and held-out side by side."""
    from assistant.answer.engine import Assistant
    from assistant.answer.evaluate import AskQuestion, render_table, run
    from assistant.answer.evaluate import misses as miss_lines
    from assistant.index.evaluate import open_index, read_suites
    from assistant.index.evaluate import read_questions as read_retrieval

    try:
        suites = read_suites(Path("tests/eval/retrieval.yaml"), corpora)
        for suite in suites:
            kb = open_index(suite, get_settings(), cache, say=lambda m: click.echo(m, err=True))
            question_sets = {
                f"{suite.name}_{part}": [AskQuestion(q.id, "policy", q.question, [], q.answer)
                                         for q in read_retrieval(path, suite.alternatives)]
                for part, path in suite.parts.items()
            }
            report = run(Assistant(kb.settings, kb=kb), question_sets, kb.manifest.document_text)
            click.echo(json.dumps(report.as_json(), ensure_ascii=False) if as_json else render_table(report))
            if misses:
                for line in miss_lines(report):
                    click.echo(line, err=True)
    except AssistantError as exc:
        raise click.ClickException(str(exc)) from exc


def render_answer(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("\n引用：")
        for c in answer.citations:
            number = f" {c.doc_number}" if c.doc_number else ""
            lines.append(f"[{c.n}] 《{c.title}》{number} › {c.section or '正文'}（{Path(c.source).name} 第 {c.start}–{c.end} 字）")
    if answer.warnings:
        lines.append("\n⚠ " + "\n⚠ ".join(answer.warnings))
    return "\n".join(lines)


@main.command(help="提问：回答附引用原文与带来源的数据")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：{answer, citations, figures, mode, warnings}")
@click.option("--batch", type=click.File("r", encoding="utf-8"), help="批量：每行一个问题，按顺序每行输出一个 JSON（各问题独立）")
def ask(question: str | None, as_json: bool, batch) -> None:  # type: ignore[no-untyped-def]
    if not question and batch is None:
        raise click.UsageError("请给出问题，或用 --batch 文件 批量提问")
    with cli_workspace() as workspace:
        questions = _questions(question, batch, workspace.settings.max_question_chars, "问题")
        for q in questions:
            answer = workspace.ask(q)
            if as_json or batch is not None:
                click.echo(answer.model_dump_json())
            else:
                click.echo(render_answer(answer))


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command(help="启动 HTTP 服务（API 与网页工作台 /ui/）。默认需要登录；--local 为本机单用户免登录模式，只能绑定 127.0.0.1")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--local", is_flag=True, help="本机单用户模式：不需要登录，以管理员身份使用；只允许 --host 127.0.0.1")
def serve(host: str, port: int, local: bool) -> None:
    import uvicorn

    from assistant.api import create_app
    from assistant.auth.users import UserStore

    settings = get_settings()
    if local and host not in LOOPBACK:
        raise click.ClickException(f"本机单用户模式（--local）不需要登录，只能绑定 127.0.0.1，不能绑定 {host}。"
                                   "要让其他电脑访问，请去掉 --local 并用 assistant users add 创建账号。")
    if local:
        click.echo("本机单用户模式：未启用登录，本机上的任何程序都能以管理员身份访问本服务；仅监听 127.0.0.1。")
    else:
        store = UserStore(state_url(settings, "users"))
        try:
            if not store.count():
                raise click.ClickException("还没有任何账号，服务无法登录。请先运行 assistant users init 创建首个管理员"
                                           "（或 assistant users add 用户名 --role 管理员），本机试用可加 --local。")
        finally:
            store.close()
    click.echo(f"招商知识助手服务启动：http://{host}:{port}/ui/  （健康检查 /healthz，接口文档 /docs，需登录）")
    # proxy_headers: uvicorn would otherwise take the client address from X-Forwarded-For of any local peer.
    uvicorn.run(create_app(settings, local=local), host=host, port=port, log_level="warning",
                proxy_headers=settings.trusted_proxy)


if __name__ == "__main__":
    main()
