"""CLI group `assistant learn ...`: glossary, indicator definitions, reading path and quizzes."""

from __future__ import annotations

import json

import click

from assistant.cli_workspace import cli_workspace


@click.group("learn", help="入职学习：术语表、指标口径、阅读路径、测验（均附出处）")
def learn_group() -> None:
    pass


@learn_group.command("glossary", help="术语表（按提到的文档数、次数排序）；给出术语则只显示该术语")
@click.argument("term", required=False)
@click.option("--top", type=click.IntRange(min=1), help="只显示排在前面的 N 个术语")
@click.option("--json", "as_json", is_flag=True)
def glossary(term: str | None, top: int | None, as_json: bool) -> None:
    with cli_workspace() as workspace:
        terms, problems = workspace.glossary()
        if term:
            terms = workspace.lookup(term)
            if not terms:
                raise click.ClickException(f"术语表中没有“{term}”。可先用 assistant learn glossary 查看全部术语。")
    terms = terms[:top] if top else terms
    if as_json:
        for t in terms:
            click.echo(t.model_dump_json())
        return
    if not terms:
        click.echo("术语表为空：知识库中还没有可提取的术语。请先运行 assistant ingest corpus/")
    for t in terms:
        mark = "（整理，已按原文更正）" if t.corrected else "（整理）" if t.curated else ""
        spread = f"（{t.documents} 篇文档提到）" if t.documents > 1 else ""
        usage = "" if t.defined else "（原文未下定义，下为用例）"
        click.echo(f"■ {t.term}{mark}{spread}{usage}：{t.definition}")
        quote = "" if t.source.quote == t.definition else f" —— “{t.source.quote}”"
        click.echo(f"    出处：{t.source.label()}{quote}")
    for problem in problems:
        click.echo(f"⚠ {problem}", err=True)


@learn_group.command("indicators", help="指标口径与计算公式")
@click.option("--json", "as_json", is_flag=True)
def indicators(as_json: bool) -> None:
    with cli_workspace() as workspace:
        definitions = workspace.indicators()
    for d in definitions:
        if as_json:
            click.echo(d.model_dump_json())
            continue
        unit = f"（单位：{d.unit}）" if d.unit else ""
        click.echo(f"■ {d.name}{unit}")
        if d.counts:
            click.echo(f"    口径：{d.counts}")
        if d.formula:
            click.echo(f"    公式：{d.formula}")
        if d.source:
            click.echo(f"    出处：{d.source.label()}")


@learn_group.command("path", help="新人阅读路径：按顺序阅读的关键文档")
@click.option("--json", "as_json", is_flag=True)
def path(as_json: bool) -> None:
    with cli_workspace() as workspace:
        items = workspace.reading_path()
    for item in items:
        if as_json:
            click.echo(item.model_dump_json())
            continue
        number = f" {item.doc_number}" if item.doc_number else ""
        click.echo(f"{item.order}. 《{item.title}》{number} [{item.genre} {item.date}]")
        click.echo(f"    为什么读：{item.why}")
        if item.summary:
            click.echo(f"    摘要：{item.summary}")


@learn_group.command("quiz", help="测验：逐题作答（选择题输入序号），最后给出得分和解析")
@click.option("--n", "count", default=10, show_default=True, type=click.IntRange(1, 100), help="题目数量")
@click.option("--json", "as_json", is_flag=True, help="只输出题目、答案和出处（JSON，每行一题），不作答")
@click.option("--seed", type=int, help="随机种子（便于复现同一套题）")
def quiz(count: int, as_json: bool, seed: int | None) -> None:
    with cli_workspace() as workspace:
        questions = workspace.quiz(n=count, seed=seed)
        if not questions:
            raise click.ClickException("还不能出题：知识库和数据库中没有足够的素材。请先运行 make run 或 assistant ingest corpus/")
        if as_json:
            for q in questions:
                click.echo(json.dumps(q.model_dump(), ensure_ascii=False))
            return
        answers = []
        for number, q in enumerate(questions, start=1):
            click.echo(f"\n第 {number} 题（{q.topic}）：{q.prompt}")
            for index, option in enumerate(q.options, start=1):
                click.echo(f"  {index}. {option}")
            answers.append(click.prompt("你的答案", default="", show_default=False))
        score, marks = workspace.submit_quiz(questions, answers)
    click.echo(f"\n得分：{score} / {len(questions)}")
    for number, (q, ok) in enumerate(zip(questions, marks, strict=False), start=1):
        click.echo(f"{'✓' if ok else '✗'} 第 {number} 题 答案：{q.answer}。{q.explanation}")
        if q.source:
            click.echo(f"    出处：{q.source.label()}")
        elif q.provenance:
            click.echo(f"    来源：项目数据库 {q.provenance.table} 表，期间 {q.provenance.period}")
