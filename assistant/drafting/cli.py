"""CLI group `assistant draft ...`: reply letters, report sections, consistency checks.

Thin: parse options, call one library function, print (or write the .docx). Library errors become a
Chinese message and exit code 1, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError

from assistant.cli_types import Choice
from assistant.cli_workspace import cli_workspace
from assistant.config import get_settings
from assistant.corpus.loaders import supported_types_text
from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.drafting.types import Draft, FigureCheck
    from assistant.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
FIELD_LABELS = {"number": "--number", "title": "--title", "proposer": "--proposer", "suggestions": "--suggestion",
                "period": "--period", "category": "--category", "date": "--date"}


def _friendly(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as err:
            from assistant.answer.llm_tools import explain_validation_errors

            raise click.ClickException("参数有误：" + explain_validation_errors(err.errors(), FIELD_LABELS)) from err
        except AssistantError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


def _emit(workspace: Workspace, draft: Draft, out: Path | None, as_json: bool, sources: bool) -> None:
    if out is not None:
        out.write_bytes(workspace.export(draft, sources=sources))
    if as_json:
        click.echo(draft.model_dump_json())
    elif out is None:
        click.echo(draft.text(sources=sources))
    else:
        cited = sum(1 for p in draft.paragraphs if p.has_sources)
        click.echo(f"已生成：{out}（{len(draft.paragraphs)} 段，其中 {cited} 段附依据）")
    for warning in draft.warnings:
        click.echo(f"⚠ {warning}", err=True)


def _check_out(out: Path | None) -> None:
    if out is not None and out.suffix.lower() != ".docx":
        raise click.BadParameter(f"输出文件应以 .docx 结尾：{out}", param_hint="--out")


@click.group("draft", help="起草提案答复函、工作报告章节，数字取自数据库")
def draft_group() -> None:
    pass


@draft_group.command("reply", help="起草提案（建议）答复函。例：assistant draft reply --number 市政协五届二次会议第205号 "
                                   "--title 关于…的提案 --proposer 刘文涛 --suggestion … --out 答复函.docx")
@click.option("--number", required=True, help="提案（建议）号，如 205，或“市政协五届二次会议第205号”")
@click.option("--session", default="", help="会议，如 市政协五届二次会议（--number 已写明时可省略）")
@click.option("--title", default="", help="提案标题（提案文件中写明时可省略）")
@click.option("--proposer", default="", help="提案人，如 刘文涛委员、张宏伟代表、民建安康市委员会")
@click.option("--suggestion", "suggestions", multiple=True, help="一条主要建议（可重复）")
@click.option("--suggestions-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=f"提案原文或建议清单（{supported_types_text()}，txt 可为 GBK）")
@click.option("--category", type=Choice(["A", "B", "C"]), default="A", show_default=True,
              help="答复类别：A 已解决或采纳，B 正在解决或列入计划，C 留作参考")
@click.option("--style", type=Choice(["分条", "两段式"]), default="分条", show_default=True,
              help="样式：分条（办理情况、存在的问题、下一步）或两段式（工作成效、下一步工作重点）")
@click.option("--contact", default="", help="联系人")
@click.option("--phone", default="", help="联系电话")
@click.option("--office", default=None, help="答复单位（默认 安康市招商和经济合作局）")
@click.option("--doc-number", default="", help="发文字号，如 安招函〔2023〕31号")
@click.option("--signer", default="", help="签发人")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="成文日期 YYYY-MM-DD（默认今天）；数字、问题和引用的文件都以此日为准")
@click.option("--period", help="数据期间，如 2023-07（默认成文日期前已结束的最新期间）")
@click.option("--cc", default=None, help="抄送（默认按提案或建议填写）")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="写出 .docx 文件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（段落、来源、提示）")
@click.option("--no-sources", is_flag=True, help="不附“附：依据”")
@click.option("--no-llm", is_flag=True, help="即使配置了大模型也只用模板")
@_friendly
def reply(number: str, session: str, title: str, proposer: str, suggestions: tuple[str, ...],
          suggestions_file: Path | None, category: str, style: str, contact: str, phone: str, office: str | None,
          doc_number: str, signer: str, day: Any, period: str | None, cc: str | None, out: Path | None,
          as_json: bool, no_sources: bool, no_llm: bool) -> None:
    from assistant.drafting.proposal import read_proposal
    from assistant.drafting.reply import ReplyRequest

    items = list(suggestions)
    if suggestions_file is not None:
        parsed = read_proposal(suggestions_file, max_bytes=get_settings().max_file_bytes)
        items += parsed.suggestions
        title, proposer = title or parsed.title, proposer or parsed.proposer
        session = session or parsed.session
        if not parsed.suggestions:
            click.echo(f"⚠ 未能从“{suggestions_file.name}”中识别出建议条目，请用 --suggestion 逐条填写。", err=True)
    if not title:
        raise click.UsageError("缺少提案标题：请用 --title 填写，或在 --suggestions-file 的提案原文中写明《关于…的提案》。")
    if not proposer:
        raise click.UsageError("缺少提案人：请用 --proposer 填写，如 刘文涛委员。")
    fields: dict[str, Any] = {"office": office} if office else {}
    request = ReplyRequest(session=session, number=number, title=title, proposer=proposer, suggestions=items,
                           category=category, style=style, contact=contact, phone=phone, doc_number=doc_number,
                           signer=signer,
                           date=day.date() if day else None, period=period, cc=cc, **fields)  # type: ignore[arg-type]
    _check_out(out)
    with cli_workspace() as workspace:
        _emit(workspace, workspace.draft(request, use_llm=not no_llm), out, as_json, not no_sources)


@draft_group.command("report", help="起草某期间的工作情况报告（工作进展、存在问题、下一步措施、县区指标表）。"
                                    "例：assistant draft report --period 2023Q1 --out 一季度报告.docx")
@click.option("--period", required=True, help="期间，如 2023Q1、2023-07、2023年上半年")
@click.option("--form", type=Choice(["工作报告", "工作总结"]), default="工作报告", show_default=True, help="文种")
@click.option("--office", default=None, help="报告单位（默认 安康市招商和经济合作局）")
@click.option("--recipient", default="", help="主送机关，如 市人民政府")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="成文日期 YYYY-MM-DD（默认期间末）；引用的文件以此日为限")
@click.option("--no-table", is_flag=True, help="不附县区指标完成情况表")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="写出 .docx 文件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（段落、来源、表格、提示）")
@click.option("--no-sources", is_flag=True, help="不附“附：依据”")
@click.option("--no-llm", is_flag=True, help="即使配置了大模型也只用模板")
@_friendly
def report(period: str, form: str, office: str | None, recipient: str, day: Any, no_table: bool, out: Path | None,
           as_json: bool, no_sources: bool, no_llm: bool) -> None:
    from assistant.drafting.report import ReportRequest

    fields: dict[str, Any] = {"office": office} if office else {}
    request = ReportRequest(period=period, form=form, recipient=recipient,  # type: ignore[arg-type]
                            date=day.date() if day else None, table=not no_table, **fields)
    _check_out(out)
    with cli_workspace() as workspace:
        _emit(workspace, workspace.draft(request, use_llm=not no_llm), out, as_json, not no_sources)


@draft_group.command("bulletin", help="起草情况通报：周动态（两期项目台账比较）、月排名（县区指标完成情况排名）、季度考核（考核得分与排名）。"
                                      "例：assistant draft bulletin 周动态 --out 周动态通报.docx；assistant draft bulletin 月排名 --period 2023-07")
@click.argument("kind", type=Choice(["周动态", "月排名", "季度考核"]))
@click.option("--period", help="月排名、季度考核的期间，如 2023-07、2023Q2（默认成文日期前已结束的最新期间）")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="周动态：较早的台账日期（默认上一期）")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="周动态：较晚的台账日期（默认成文日期前最新的台账）")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="成文日期 YYYY-MM-DD（默认数据的时点）")
@click.option("--recipient", default="", help="主送（默认 各县（市、区）招商部门，各开发区招商机构）")
@click.option("--doc-number", default="", help="发文字号")
@click.option("--office", default=None, help="发文机关（默认 安康市招商和经济合作局）")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="写出 .docx 文件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（段落、来源、表格、提示）")
@click.option("--no-sources", is_flag=True, help="不附“附：依据”")
@_friendly
def bulletin(kind: str, period: str | None, date_from: Any, date_to: Any, day: Any, recipient: str, doc_number: str,
             office: str | None, out: Path | None, as_json: bool, no_sources: bool) -> None:
    from assistant.drafting.bulletin import BulletinRequest

    fields: dict[str, Any] = {"office": office} if office else {}
    request = BulletinRequest(kind=kind, period=period, date_from=date_from.date() if date_from else None,  # type: ignore[arg-type]
                              date_to=date_to.date() if date_to else None, date=day.date() if day else None,
                              recipient=recipient, doc_number=doc_number, **fields)
    _check_out(out)
    with cli_workspace() as workspace:
        _emit(workspace, workspace.draft(request), out, as_json, not no_sources)


def _skeleton(form: str, subject: str, recipient: str, day: Any, doc_number: str, signer: str, contact: str,
              phone: str, office: str | None, out: Path | None, as_json: bool) -> None:
    from assistant.drafting.skeleton import SkeletonRequest

    fields: dict[str, Any] = {"office": office} if office else {}
    request = SkeletonRequest(form=form, subject=subject, recipient=recipient,  # type: ignore[arg-type]
                              date=day.date() if day else None, doc_number=doc_number, signer=signer, contact=contact,
                              phone=phone, **fields)
    _check_out(out)
    with cli_workspace() as workspace:
        _emit(workspace, workspace.draft(request), out, as_json, sources=False)


def _skeleton_options(func: F) -> F:
    for option in reversed([
        click.argument("subject"),
        click.option("--recipient", default="", help="主送机关"),
        click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="成文日期 YYYY-MM-DD（默认今天）"),
        click.option("--doc-number", default="", help="发文字号"),
        click.option("--signer", default="", help="签发人"),
        click.option("--contact", default="", help="联系人"),
        click.option("--phone", default="", help="联系电话"),
        click.option("--office", default=None, help="发文机关（默认 安康市招商和经济合作局）"),
        click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="写出 .docx 文件"),
        click.option("--json", "as_json", is_flag=True, help="输出 JSON"),
    ]):
        func = option(func)
    return func


@draft_group.command("notice", help="起草通知的骨架（目标、任务、要求，内容标【待补充】）。SUBJECT 为事由，"
                                    "例：assistant draft notice 开展招商引资项目集中签约活动 --out 通知.docx")
@_skeleton_options
@_friendly
def notice(**options: Any) -> None:
    _skeleton("通知", **options)


@draft_group.command("request", help="起草请示的骨架（缘由、基本情况、请示事项，内容标【待补充】，附联系人）。SUBJECT 为事由，"
                                     "例：assistant draft request 举办秦巴招商推介会 --signer 周立衡 --contact 王晓东")
@_skeleton_options
@_friendly
def request_for_instructions(**options: Any) -> None:
    _skeleton("请示", **options)


@draft_group.command("forms", help="列出可起草的文种及对应命令")
def forms() -> None:
    from assistant.drafting.forms import FORMS

    for form in FORMS:
        click.echo(f"{form.title}：{form.what}（模板 prompts/drafting/{form.template}.yaml）")


STATUS_TAGS = {"match": "一致", "mismatch": "不一致", "not_found": "未找到"}


def render_check(check: FigureCheck) -> str:
    line = f"[{STATUS_TAGS[check.status]}] {check.text}"
    if check.label:
        line += f" —— {check.label}"
    if check.status == "mismatch":
        line += f"：数据库中为 {check.db_text}"
    elif check.status == "not_found":
        line += f"：{check.reason}"
    if check.provenance and check.status != "not_found":
        rows = "、".join(str(r) for r in check.provenance.row_ids[:5])
        line += f"（{check.provenance.table} 表 行 {rows}{' 等' if len(check.provenance.row_ids) > 5 else ''}）"
    return line + f"\n    {check.context[:120]}"


@draft_group.command("check", help=f"核对稿件中的每个数字与数据库是否一致。FILE 为 {supported_types_text()} 文件，“-”从标准输入读取。"
                                   "有不一致的数字时退出码为 1。")
@click.argument("source")
@click.option("--period", help="稿件所说的期间，如 2023Q1（默认从稿件开头识别，识别不到用数据库中最新的期间）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：{summary, checks[]}")
@_friendly
def check(source: str, period: str | None, as_json: bool) -> None:
    name = None
    path = Path(source)
    if source != "-" and not path.is_file():
        raise click.BadParameter(f"文件不存在：{source}", param_hint="SOURCE")
    with cli_workspace() as workspace:
        if source == "-":
            document = workspace.paste_draft(sys.stdin.read())
        else:
            document, name = workspace.read_draft(path), path.name
        checks = workspace.check(document, period, name=name)
    summary = {status: sum(1 for c in checks if c.status == status) for status in STATUS_TAGS}
    note = document.cut_note()
    if as_json:
        click.echo(json.dumps({"summary": summary, "checks": [c.model_dump(mode="json") for c in checks], "note": note},
                              ensure_ascii=False))
    else:
        for item in checks:
            click.echo(render_check(item))
        click.echo(f"共 {len(checks)} 个数字：一致 {summary['match']}，不一致 {summary['mismatch']}，"
                   f"未找到 {summary['not_found']}。")
    if note:
        click.echo(note, err=True)
    if summary["mismatch"]:
        sys.exit(1)

