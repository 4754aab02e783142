"""Re-derive every expected figure of the ask question set from corpus/data/*.csv.

Independent of the assistant's code: it reads the CSV files with the standard library and applies the
bureau's definitions as written in docs/database.md and assistant/tools/formulas.py:

- 完成进度 = 本年累计完成额 ÷ 年度目标 × 100%, Decimal, ROUND_HALF_UP to two decimals;
- 序时进度 = months ÷ 12 (一季度 25.00%, 上半年 50.00%, 1-7月 58.33%, 1-8月 66.67%, 全年 100.00%);
- 排名 = competition rank (1, 2, 2, 4) of the 13 regions on the rounded completion; 全市 does not rank;
- 低于序时进度: completion < schedule; gap = schedule − completion (both rounded first); 高于序时进度 the
  other way round;
- 全市 = the explicit 全市 row (its target is the city's, not the sum of county targets);
- projects: with a period, the projects signed from 1 January to the period's end, “started” = started on or
  before the period's end; without a period, all projects, stages as imported (签约 and later are “signed”);
  开工率 = started ÷ signed; 资金到位率 = Σ到位资金 ÷ Σ总投资 over signed projects with both filled;
  履约率 (approximation) = signed projects started or with funds > 0 ÷ signed; 涉链占比 = projects on a
  “5+3” chain ÷ all projects in scope; 大项目 = 总投资 ≥ 5 亿元;
- open problems = status 未解决 or 推进中; event totals count only events that report the figure.

Usage:
    python tests/eval/ask/expected.py              # print every derived fact, one per line: KEY<TAB>facts
    python tests/eval/ask/expected.py 汉阴县       # only the lines whose key contains the text
    python tests/eval/ask/expected.py --check      # check questions.tsv: every expected value of a row whose
                                                   # note names fact keys (@key) occurs in those facts' lines, and
                                                   # every policy/define key fact occurs verbatim in corpus/
                                                   # (the check needs the project's virtualenv to read .docx)
"""

from __future__ import annotations

import calendar
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "corpus" / "data"
HERE = Path(__file__).resolve().parent

REGIONS = ["汉滨区", "旬阳市", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "白河县",
           "高新区", "瀛湖", "恒口"]
CITY = "全市"
KEY_CHAINS = ["富硒食品", "新型材料", "装备制造", "纺织丝绸", "生物医药", "新能源", "文旅康养", "电子信息"]
STAGES = ["线索", "在谈", "签约", "开工", "投产"]
METRICS = {"内资": ("实际引进内资", "亿元"), "外资": ("外商直接投资", "万美元")}
# period key → last month covered (cumulative from January)
PERIODS = {"2022Q1": (2022, 3), "2023Q1": (2023, 3), "2023Q2": (2023, 6), "2023-07": (2023, 7),
           "2023-08": (2023, 8), "2023": (2023, 12)}
CENT = Decimal("0.01")


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(num: Decimal, den: Decimal) -> Decimal:
    return r2(num / den * 100)


def dec(text: str) -> Decimal | None:
    text = text.strip().rstrip("%")
    return None if text in ("", "-", "—", "/", "无") else Decimal(text)


def fmt(x: Decimal | None, unit: str) -> str:
    return "无数据" if x is None else f"{r2(x)}{unit}"


def period_end(key: str) -> date:
    year, month = PERIODS[key]
    return date(year, month, calendar.monthrange(year, month)[1])


# ── indicators ────────────────────────────────────────────────────────────────────────────────

@dataclass
class Ind:
    value: Decimal | None
    yoy: Decimal | None
    target: Decimal | None

    @property
    def completion(self) -> Decimal | None:
        return pct(self.value, self.target) if self.value is not None and self.target else None


def load_indicators() -> dict[tuple[str, str, str], Ind]:
    out: dict[tuple[str, str, str], Ind] = {}
    with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows[3:]:
        name = row[0].strip()
        if not name or name.startswith("注"):
            continue
        # 内资: 绝对值, 同比, 目标, (进度), (排名); 外资: 绝对值, 同比, 目标, (进度), (排名) — printed 进度/排名 ignored
        out[(name, "2023Q1", "内资")] = Ind(dec(row[1]), dec(row[2]), dec(row[3]))
        out[(name, "2023Q1", "外资")] = Ind(dec(row[6]), dec(row[7]), dec(row[8]))
    with (DATA / "indicators_long.csv").open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            metric = "内资" if rec["指标"] == "实际引进内资" else "外资"
            out[(rec["地区"], rec["期间"], metric)] = Ind(dec(rec["数值"]), dec(rec["同比"]), dec(rec["年度目标"]))
    return out


def schedule(key: str) -> Decimal:
    return r2(Decimal(PERIODS[key][1]) * 100 / 12)


def competition_rank(scores: dict[str, Decimal]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    ordered = sorted(scores.items(), key=lambda kv: -kv[1])
    for pos, (name, score) in enumerate(ordered, start=1):
        ranks[name] = ranks[ordered[pos - 2][0]] if pos > 1 and ordered[pos - 2][1] == score else pos
    return ranks


def indicator_facts(ind: dict[tuple[str, str, str], Ind]) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    for period in PERIODS:
        for metric, (_name, unit) in METRICS.items():
            rows = {r: ind[(r, period, metric)] for r in REGIONS if (r, period, metric) in ind}
            city = ind.get((CITY, period, metric))
            if not rows and city is None:
                continue
            comp = {r: c for r, x in rows.items() if (c := x.completion) is not None}
            ranks = competition_rank(comp)
            sched = schedule(period)
            tie_count = Counter(ranks.values())
            for r, x in rows.items():
                rank = ranks.get(r)
                tie = "并列" if rank is not None and tie_count[rank] > 1 else ""
                facts.append((f"ind {r} {period} {metric}", " ".join([
                    f"数值={fmt(x.value, unit)}", f"同比={fmt(x.yoy, '%')}", f"目标={fmt(x.target, unit)}",
                    f"完成进度={fmt(x.completion, '%')}", f"序时进度={sched}%",
                    f"排名={tie}第{rank}/{len(ranks)}" if rank else "排名=无",
                    f"低于序时={sched - x.completion}个百分点" if x.completion is not None and x.completion < sched
                    else f"高于序时={x.completion - sched}个百分点" if x.completion is not None and x.completion > sched
                    else "",
                ]).strip()))
            if city is not None:
                prev = ind.get((CITY, f"{PERIODS[period][0] - 1}Q1", metric)) if period.endswith("Q1") else None
                yoy = city.yoy
                basis = "报表数"
                if yoy is None and prev is not None and prev.value and city.value is not None:
                    yoy, basis = pct(city.value - prev.value, prev.value), "按上年同期计算"
                region_sum = sum((x.value for x in rows.values() if x.value is not None), Decimal(0))
                target_sum = sum((x.target for x in rows.values() if x.target is not None), Decimal(0))
                facts.append((f"city {period} {metric}", " ".join([
                    f"数值={fmt(city.value, unit)}", f"同比={fmt(yoy, '%')}({basis})", f"目标={fmt(city.target, unit)}",
                    f"完成进度={fmt(city.completion, '%')}", f"序时进度={sched}%",
                    f"各地区合计={fmt(region_sum, unit)}" if rows else "",
                    f"各地区目标之和={fmt(target_sum, unit)}" if rows else "",
                    f"低于序时={sched - city.completion}个百分点"
                    if city.completion is not None and city.completion < sched
                    else f"高于序时={city.completion - sched}个百分点"
                    if city.completion is not None and city.completion > sched else "",
                ]).strip()))
            if comp:
                listing = "；".join(f"{'并列' if tie_count[ranks[r]] > 1 else ''}第{ranks[r]} {r} {comp[r]}%"
                                   for r in sorted(comp, key=lambda n: (ranks[n], REGIONS.index(n))))
                facts.append((f"rank {period} {metric}", listing))
                bottom = max(ranks.values())
                facts.append((f"rank {period} {metric} 第一", " ".join(
                    f"{r} {comp[r]}%" for r in comp if ranks[r] == 1)))
                facts.append((f"rank {period} {metric} 倒数第一", " ".join(
                    f"{r} {comp[r]}%" for r in comp if ranks[r] == bottom)))
                for by, score in (("数值", {r: x.value for r, x in rows.items() if x.value is not None}),
                                  ("同比", {r: x.yoy for r, x in rows.items() if x.yoy is not None})):
                    if score:
                        rk = competition_rank(score)
                        facts.append((f"rank {period} {metric} 按{by}", "；".join(
                            f"第{rk[r]} {r} {r2(score[r])}{unit if by == '数值' else '%'}"
                            for r in sorted(score, key=lambda n: (rk[n], REGIONS.index(n))))))
                lag = sorted(((r, sched - c) for r, c in comp.items() if c < sched), key=lambda t: -t[1])
                facts.append((f"lagging {period} {metric}", f"序时进度={sched}% 滞后{len(lag)}个：" + "；".join(
                    f"{r} {comp[r]}% 差{gap}个百分点" for r, gap in lag)))
    # 上半年 vs 一季度: completion change in percentage points
    deltas = {r: ind[(r, "2023Q2", "内资")].completion - ind[(r, "2023Q1", "内资")].completion  # type: ignore[operator]
              for r in REGIONS}
    facts.append(("delta 2023Q1→2023Q2 内资 完成进度提升", "；".join(
        f"{r} +{d}个百分点" for r, d in sorted(deltas.items(), key=lambda t: -t[1]))))
    return facts


# ── projects ──────────────────────────────────────────────────────────────────────────────────

@dataclass
class Proj:
    name: str
    region: str
    chain: str | None
    enterprise: str
    total: Decimal | None
    stage: str
    signed: date | None
    started: date | None
    operating: date | None
    funds: Decimal | None
    foreign: bool
    foreign_amount: Decimal | None


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


def load_projects() -> list[Proj]:
    with (DATA / "projects.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [Proj(r["项目名称"], r["地区"], r["产业链"] or None, r["企业"], dec(r["总投资（亿元）"]), r["阶段"],
                     _date(r["签约日期"]), _date(r["开工日期"]), _date(r["投产日期"]), dec(r["到位资金（亿元）"]),
                     r["是否外资"] == "是", dec(r["外资金额（万美元）"])) for r in csv.DictReader(fh)]


def ledger_date() -> date:
    """The newest 填报日期 of the project ledgers (projects.csv and its dated copies under history/)."""
    days = []
    for path in [DATA / "projects.csv", *sorted((DATA / "history").glob("projects_*.csv"))]:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            days += [d for r in csv.DictReader(fh) if (d := _date(r.get("填报日期") or ""))]
    return max(days)


def reached(stage: str, target: str) -> bool:
    return STAGES.index(stage) >= STAGES.index(target)


def project_stats(projects: list[Proj], period: str | None) -> str:
    if period:
        end = period_end(period)
        start = date(PERIODS[period][0], 1, 1)
        scope = [p for p in projects if p.signed and start <= p.signed <= end]
        signed = scope
        started = [p for p in signed if p.started and p.started <= end]
    else:
        scope = projects
        signed = [p for p in scope if reached(p.stage, "签约")]
        started = [p for p in signed if reached(p.stage, "开工")]
    money = [p for p in signed if p.total is not None and p.funds is not None]
    funds = sum((p.funds for p in money if p.funds is not None), Decimal(0))
    totals = sum((p.total for p in money if p.total is not None), Decimal(0))
    fulfilled = [p for p in signed if p in started or (p.funds or 0) > 0]
    chain = [p for p in scope if p.chain in KEY_CHAINS]
    total = sum((p.total for p in scope if p.total is not None), Decimal(0))
    by_stage = Counter(p.stage for p in scope)
    parts = [
        f"项目数={len(scope)}个", f"总投资={r2(total)}亿元",
        "按阶段=" + "、".join(f"{s}{by_stage[s]}个" for s in STAGES),
        f"5亿元以上={sum(1 for p in scope if p.total is not None and p.total >= 5)}个",
        f"10亿元以上={sum(1 for p in scope if p.total is not None and p.total >= 10)}个",
        f"签约={len(signed)}个", f"开工={len(started)}个",
        f"开工率={pct(Decimal(len(started)), Decimal(len(signed))) if signed else '无数据'}%",
        f"到位资金={r2(funds)}亿元", f"资金到位率={pct(funds, totals) if totals else '无数据'}%",
        f"履约={len(fulfilled)}个", f"履约率={pct(Decimal(len(fulfilled)), Decimal(len(signed))) if signed else '无数据'}%",
        f"涉链={len(chain)}个", f"涉链占比={pct(Decimal(len(chain)), Decimal(len(scope))) if scope else '无数据'}%",
        f"外资项目={sum(1 for p in scope if p.foreign)}个",
    ]
    return " ".join(parts)


def project_facts(projects: list[Proj]) -> list[tuple[str, str]]:
    facts = [("projects 全部", project_stats(projects, None))]
    for period in ("2022Q1", "2023Q1", "2023Q2", "2023-07", "2023"):
        facts.append((f"projects {period}签约", project_stats(projects, period)))
    facts.append(("projects 2022签约", project_stats(
        [p for p in projects if p.signed and p.signed.year == 2022], None)))
    rates: dict[str, Decimal] = {}
    for region in REGIONS:
        mine = [p for p in projects if p.region == region]
        if mine:
            facts.append((f"projects {region}", project_stats(mine, None)))
            signed = [p for p in mine if reached(p.stage, "签约") and p.total is not None and p.funds is not None]
            totals = sum((p.total for p in signed if p.total is not None), Decimal(0))
            if totals:
                rates[region] = pct(sum((p.funds for p in signed if p.funds is not None), Decimal(0)), totals)
            facts.append((f"projects {region} 2023Q1签约", project_stats(mine, "2023Q1")))
    ranks = competition_rank(rates)
    facts.append(("projects 各县区资金到位率排名", "；".join(
        f"第{ranks[r]} {r} {rates[r]}%" for r in sorted(rates, key=lambda n: (ranks[n], REGIONS.index(n))))))
    for chain in KEY_CHAINS:
        mine = [p for p in projects if p.chain == chain]
        facts.append((f"projects 产业链 {chain}", project_stats(mine, None)))
    facts.append(("projects 非重点产业链", project_stats([p for p in projects if p.chain is None], None)))

    def listing(items: list[Proj]) -> str:
        return f"{len(items)}个 总投资{r2(sum((p.total for p in items if p.total), Decimal(0)))}亿元：" + "；".join(
            f"{p.name}（{p.region}，{p.chain or '非重点链'}，{p.stage}，总投资{p.total}亿元"
            + (f"，签约{p.signed}" if p.signed else "") + (f"，开工{p.started}" if p.started else "")
            + (f"，投产{p.operating}" if p.operating else "") + (f"，到位{p.funds}亿元" if p.funds is not None else "")
            + (f"，外资{p.foreign_amount}万美元" if p.foreign_amount is not None else "") + "）" for p in items)

    for stage in STAGES:
        facts.append((f"list 阶段 {stage}", listing([p for p in projects if p.stage == stage])))
    facts.append(("list 5亿元以上", listing([p for p in projects if p.total is not None and p.total >= 5])))
    facts.append(("list 10亿元以上", listing([p for p in projects if p.total is not None and p.total >= 10])))
    facts.append(("list 外资", listing([p for p in projects if p.foreign])))
    for region in REGIONS:
        facts.append((f"list {region}", listing([p for p in projects if p.region == region])))
    for chain in KEY_CHAINS:
        facts.append((f"list 产业链 {chain}", listing([p for p in projects if p.chain == chain])))
    facts.append(("list 签约未开工", listing([p for p in projects if p.stage == "签约"])))
    # 签约超过N天未开工 counts from the ledger's date (its newest 填报日期), not from the day the question is asked
    day = ledger_date()
    for days in (60, 90, 180):
        facts.append((f"list 签约超过{days}天未开工", f"截至{day}（{day.year}年{day.month}月{day.day}日，台账日期）" + listing(
            [p for p in projects if p.stage == "签约" and p.started is None and p.signed
             and (day - p.signed).days > days])))
    for period in ("2023Q1", "2023Q2", "2023-07"):
        year = PERIODS[period][0]
        end = period_end(period)
        facts.append((f"list {period}签约", listing(
            [p for p in projects if p.signed and date(year, 1, 1) <= p.signed <= end])))
    facts.append(("list 2023年4-6月签约", listing(
        [p for p in projects if p.signed and date(2023, 4, 1) <= p.signed <= date(2023, 6, 30)])))
    for p in projects:
        facts.append((f"project {p.name}", listing([p])))
    return facts


# ── enterprises, events, problems ─────────────────────────────────────────────────────────────

def ledger_facts(projects: list[Proj]) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    with (DATA / "enterprises.csv").open(encoding="utf-8-sig", newline="") as fh:
        ents = list(csv.DictReader(fh))
    for status in sorted({e["对接状态"] for e in ents}):
        mine = [e["企业名称"] for e in ents if e["对接状态"] == status]
        facts.append((f"enterprises 状态 {status}", f"{len(mine)}家：" + "、".join(mine)))
    for chain in KEY_CHAINS:
        mine = [f"{e['企业名称']}（{e['对接状态']}）" for e in ents if e["产业链"] == chain]
        facts.append((f"enterprises 产业链 {chain}", f"{len(mine)}家：" + "、".join(mine)))
    for cat in ("中国500强", "民营500强", "世界500强", "行业领军", "外资", "其他"):
        mine = [e["企业名称"] for e in ents if cat in e["类别"].split("、")]
        facts.append((f"enterprises 类别 {cat}", f"{len(mine)}家：" + "、".join(mine)))
    facts.append(("enterprises 全部", f"{len(ents)}家"))
    for e in ents:
        linked = [p.name for p in projects if p.enterprise == e["企业名称"]]
        facts.append((f"enterprise {e['企业名称']}", f"类别={e['类别']} 总部={e['总部所在地'] or '无'} "
                       f"产业链={e['产业链'] or '无'} 状态={e['对接状态']} 项目=" + ("、".join(linked) or "无")))

    with (DATA / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        events = list(csv.DictReader(fh))

    def event_totals(items: list[dict[str, str]]) -> str:
        counts = [int(e["签约项目数"]) for e in items if e["签约项目数"].strip()]
        amounts = [Decimal(e["签约金额（亿元）"]) for e in items if e["签约金额（亿元）"].strip()]
        return (f"{len(items)}场 签约项目={sum(counts) if counts else '无数据'}个 "
                f"签约金额={r2(sum(amounts, Decimal(0))) if amounts else '无数据'}亿元："
                + "；".join(f"{e['日期']} {e['城市']} {e['活动名称']} 签约{e['签约项目数'] or '未报道'}个 "
                           f"{e['签约金额（亿元）'] or '未报道'}亿元" for e in items))

    facts.append(("events 全部", event_totals(events)))
    for label, lo, hi in (("2019", "2019-01-01", "2019-12-31"), ("2023", "2023-01-01", "2023-12-31"),
                          ("2023Q1", "2023-01-01", "2023-03-31"), ("2023Q2", "2023-01-01", "2023-06-30")):
        facts.append((f"events {label}", event_totals([e for e in events if lo <= e["日期"] <= hi])))
    for city in sorted({e["城市"] for e in events}):
        facts.append((f"events 城市 {city}", event_totals([e for e in events if e["城市"] == city])))

    with (DATA / "problems.csv").open(encoding="utf-8-sig", newline="") as fh:
        problems = list(csv.DictReader(fh))
    region_of = {p.name: p.region for p in projects}
    for pb in problems:
        pb["地区"] = pb["地区"] or region_of.get(pb["项目名称"], "")
    open_ = [pb for pb in problems if pb["状态"] != "已解决"]

    def plist(items: list[dict[str, str]]) -> str:
        return f"{len(items)}个：" + "；".join(
            f"{pb['编号']} {pb['项目名称'] or pb['地区']}（{pb['地区']}）{pb['问题描述']} {pb['责任部门']} {pb['状态']}"
            for pb in items)

    facts.append(("problems 未解决", plist(open_)))
    facts.append(("problems 全部", plist(problems)))
    facts.append(("problems 已解决", plist([pb for pb in problems if pb["状态"] == "已解决"])))
    for dept in sorted({pb["责任部门"] for pb in problems}):
        facts.append((f"problems 部门 {dept} 未解决", plist([pb for pb in open_ if pb["责任部门"] == dept])))
    for region in REGIONS:
        mine = [pb for pb in open_ if pb["地区"] == region]
        if mine:
            facts.append((f"problems {region} 未解决", plist(mine)))
    for pb in problems:
        facts.append((f"problem {pb['项目名称'] or pb['地区']}", plist([pb])))
    return facts


def all_facts() -> list[tuple[str, str]]:
    projects = load_projects()
    return indicator_facts(load_indicators()) + project_facts(projects) + ledger_facts(projects)


# ── checking questions.tsv ────────────────────────────────────────────────────────────────────

NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _norm(text: str) -> str:
    """Whitespace out, thousands separators out, every number written with two decimals."""
    text = re.sub(r"\s+", "", text).replace("，", ",")
    return NUM.sub(lambda m: f"{Decimal(m.group(0).replace(',', '')):.2f}", text)


def corpus_texts() -> dict[str, str]:
    """Every corpus document's text with whitespace removed (docx/pdf read with the project's own loaders),
    plus the curated glossary."""
    from assistant.corpus.loaders import load_file, loader_for

    texts = {}
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.is_file() and path.name != "README.md" and loader_for(path) is not None:
            doc = load_file(path)
            parts = [b.text for b in doc.blocks] + [
                "".join(cell for row in b.table.rows for cell in row) for b in doc.blocks if b.table]
            texts[path.name] = re.sub(r"\s+", "", "".join(parts))
    texts["glossary.yaml"] = re.sub(r"\s+", "", (ROOT / "corpus" / "glossary.yaml").read_text(encoding="utf-8"))
    return texts


def check(path: Path) -> int:
    facts = all_facts()
    texts = corpus_texts()
    failures = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["kind"] in ("policy", "define"):
                for alt in row["expect"].split("|"):
                    if not any(re.sub(r"\s+", "", alt) in t for t in texts.values()):
                        failures += 1
                        print(f"{row['id']}: key fact “{alt}” is in no corpus document", file=sys.stderr)
            keys = re.findall(r"@([^@;]+)", row["note"])
            if not keys:
                continue
            lines = [f"{k}\t{v}" for k, v in facts if any(k == key.strip() for key in keys)]
            missing_keys = [key for key in keys if not any(k == key.strip() for k, _ in facts)]
            haystack = _norm(" ".join(lines))
            for item in filter(None, (s.strip() for s in row["expect"].split(";"))):
                if not any(_norm(alt) in haystack for alt in item.split("|")):
                    failures += 1
                    print(f"{row['id']}: “{item}” not in facts {keys}", file=sys.stderr)
            for key in missing_keys:
                failures += 1
                print(f"{row['id']}: no fact with key “{key.strip()}”", file=sys.stderr)
    print(f"checked {path.name}: {failures} problem(s)")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--check":
        return check(Path(argv[1]) if len(argv) > 1 else HERE / "questions.tsv")
    for key, value in all_facts():
        if not argv or any(a in key for a in argv):
            print(f"{key}\t{value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
