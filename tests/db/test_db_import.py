"""Importing staff files: all-or-nothing, encodings, layouts, replacement, idempotence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from assistant.db.errors import ImportFormatError, ImportRejected, PartialPeriod
from assistant.db.importers import import_demo, import_file
from assistant.db.models import Base
from assistant.db.periods import Period
from assistant.db.session import FigureStore
from assistant.tools import city_total, get_indicator, rank_regions

from .conftest import DEMO_DIR
from .test_db_figures import SEED_002_DOMESTIC

LONG_HEADER = "地区,期间,指标,数值,单位,同比,年度目标\n"
REGIONS = list(SEED_002_DOMESTIC)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that a rejected import changed nothing."""
    with engine.connect() as conn:
        return {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def thousand_rows() -> list[list[str]]:
    periods = [Period(year, month).key for year in range(2000, 2010) for month in range(1, 13)]
    rows = [[region, period, "实际引进内资", f"{(i % 97) + 1}.25", "亿元", "3.5%", "500"]
            for i, (period, region) in enumerate((p, r) for p in periods for r in REGIONS)]
    return rows[:1000]


def as_csv(rows: list[list[str]]) -> str:
    return LONG_HEADER + "".join(",".join(r) + "\n" for r in rows)


def store_for(engine: Engine) -> FigureStore:
    return FigureStore.open(engine.url)


def test_thousand_row_file_imports_completely(engine: Engine, tmp_path: Path) -> None:
    summary = import_file(engine, "indicators", write(tmp_path / "big.csv", as_csv(thousand_rows())))
    assert (summary.layout, summary.rows, summary.inserted) == ("long", 1000, 1000)


@pytest.mark.parametrize(
    ("index", "column", "bad", "reason"),
    [
        (0, 0, "汉阳县", "未知地区"),
        (499, 3, "12.3.4", "不是有效数字"),
        (999, 1, "2023Q5", "无法识别期间"),
        (640, 6, "-10", "不能为负数"),
    ],
)
def test_one_bad_row_in_1000_changes_nothing(engine: Engine, tmp_path: Path, index: int, column: int, bad: str,
                                             reason: str) -> None:
    import_file(engine, "indicators", DEMO_DIR / "indicators_2023Q1_wide.csv")
    before = snapshot(engine)
    rows = thousand_rows()
    rows[index][column] = bad
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "indicators", write(tmp_path / "big.csv", as_csv(rows)))
    assert snapshot(engine) == before
    [problem] = err.value.problems
    header = LONG_HEADER.strip().split(",")
    assert (problem.row, problem.column, problem.value) == (index + 2, header[column], bad)
    assert reason in problem.reason
    assert f"第 {index + 2} 行" in str(err.value) and "数据库未做任何修改" in str(err.value)


def test_every_bad_row_is_reported(engine: Engine, tmp_path: Path) -> None:
    text = as_csv([
        ["汉滨区", "2023Q1", "内资", "41.01", "亿元", "35.52%", "138"],
        ["汉阳", "2023Q1", "内资", "1", "亿元", "", "10"],
        ["汉阴县", "2023Q1", "税收", "1", "亿元", "", "10"],
        ["汉滨", "2023年一季度", "实际引进内资", "2", "亿元", "", "10"],
        ["石泉县", "2023Q1", "外资", "3", "亿元", "", "10"],
        ["宁陕县", "2023Q1", "内资", "3", "亿元", "", "0"],
    ])
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "indicators", write(tmp_path / "bad.csv", text))
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(3, "地区"), (4, "指标"), (5, "地区"), (6, "单位"), (7, "年度目标")}
    message = str(err.value)
    assert "与第 2 行重复" in message  # 汉滨 is 汉滨区 again
    assert "单位“亿元”不能换算为“万美元”" in message
    assert "已知地区：汉滨区、旬阳市" in message  # unknown regions list the known ones
    assert snapshot(engine)["indicators"] == []


def test_gbk_csv(engine: Engine, tmp_path: Path) -> None:
    wide = (DEMO_DIR / "indicators_2023Q1_wide.csv").read_text(encoding="utf-8")
    summary = import_file(engine, "indicators", write(tmp_path / "gbk.csv", wide, encoding="gbk"))
    assert (summary.encoding, summary.layout, summary.rows) == ("GBK", "wide", 28)
    ranking = rank_regions(store_for(engine), "2023Q1", "内资")
    assert {r.region: (r.completion_pct, r.rank) for r in ranking.rows} == SEED_002_DOMESTIC


def _seed_002_workbook(path: Path) -> Path:
    """The seed 002 table as staff keep it: merged title, merged group headers, percent-formatted cells."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2023 年全市各县（区、市）、开发区一季度招商引资指标完成情况"])
    ws.merge_cells("A1:J1")
    ws.append(["地区", "实际引进内资（亿元）", None, None, None, None, "外商直接投资额（万美元）"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:F2")
    ws.merge_cells("G2:J2")
    ws.append([None, "绝对值", "同比%", "2023年\n目标", "目标完成\n进度%", "内资完成\n排名", "绝对值", "2023年\n目标",
               "目标完成\n进度%", "外资完成\n排名"])
    lines = (DEMO_DIR / "indicators_2023Q1_wide.csv").read_text(encoding="utf-8").splitlines()[3:16]
    for line in lines:
        c = line.split(",")
        ws.append([c[0], float(c[1]), float(c[2].rstrip("%")) / 100, float(c[3]), None, int(c[5]), float(c[6]),
                   float(c[8]), None, None])
        ws.cell(ws.max_row, 3).number_format = "0.00%"
    wb.save(path)
    return path


def test_xlsx_with_merged_header_cells(engine: Engine, tmp_path: Path) -> None:
    summary = import_file(engine, "indicators", _seed_002_workbook(tmp_path / "seed002.xlsx"))
    assert (summary.encoding, summary.layout, summary.rows) == ("XLSX", "wide", 26)
    store = store_for(engine)
    ranking = rank_regions(store, "2023Q1", "实际引进内资")
    assert {r.region: (r.completion_pct, r.rank) for r in ranking.rows} == SEED_002_DOMESTIC
    hanbin = get_indicator(store, "汉滨区", "2023Q1", "内资")
    assert (hanbin.yoy_pct, hanbin.annual_target) == (35.52, 138.0)  # 0.3552 shown as 35.52% in Excel
    assert get_indicator(store, "汉阴县", "2023Q1", "外资").completion_pct == 67.63


def test_wide_file_needs_a_period(engine: Engine, tmp_path: Path) -> None:
    lines = (DEMO_DIR / "indicators_2023Q1_wide.csv").read_text(encoding="utf-8").splitlines()[1:]
    path = write(tmp_path / "no_title.csv", "\n".join(lines))
    with pytest.raises(ImportFormatError, match="--period"):
        import_file(engine, "indicators", path)
    assert import_file(engine, "indicators", path, period=Period(2023, 3)).rows == 28


def test_reimporting_a_period_replaces_it(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "indicators", DEMO_DIR / "indicators_2023Q1_wide.csv")
    again = import_file(engine, "indicators", DEMO_DIR / "indicators_2023Q1_wide.csv")
    assert not again.changed and again.import_id is None
    text = as_csv([["汉滨区", "2023Q1", "内资", "50", "亿元", "", "138"], ["全市", "2023Q1", "内资", "400", "亿元", "", ""]])
    # The file lacks twelve regions the period holds: refused, naming them, until the replacement is asked for.
    with pytest.raises(PartialPeriod) as refused:
        import_file(engine, "indicators", write(tmp_path / "fix.csv", text))
    assert "旬阳市" in refused.value.removed["2023Q1 实际引进内资"] and len(refused.value.removed["2023Q1 实际引进内资"]) == 12
    assert get_indicator(store_for(engine), "旬阳", "2023Q1", "内资").value is not None  # nothing changed
    summary = import_file(engine, "indicators", write(tmp_path / "fix.csv", text), replace_period=True)
    assert summary.replaced == ["2023Q1 实际引进内资"] and "旬阳市" in summary.removed[0]
    assert (summary.updated, summary.deleted) == (2, 12)
    store = store_for(engine)
    assert get_indicator(store, "汉滨", "2023Q1", "内资").value == 50.0
    assert get_indicator(store, "旬阳", "2023Q1", "内资").value is None  # not in the new file any more
    assert get_indicator(store, "汉阴", "2023Q1", "外资").value == 236.7  # other metric untouched


def test_units_are_converted_on_import(engine: Engine, tmp_path: Path) -> None:
    text = "地区,期间,指标,数值,单位,同比,年度目标\n汉阴县,2023Q1,内资,327900,万元,,1084000\n" \
           "汉阴县,2023Q1,外资,0.02367,亿美元,,0.035\n"
    import_file(engine, "indicators", write(tmp_path / "units.csv", text))
    store = store_for(engine)
    domestic = get_indicator(store, "汉阴县", "2023Q1", "内资")
    assert (domestic.value, domestic.unit, domestic.annual_target, domestic.completion_pct) == (
        32.79, "亿元", 108.4, 30.25)
    foreign = get_indicator(store, "汉阴县", "2023Q1", "外资")
    assert (foreign.value, foreign.unit, foreign.completion_pct) == (236.7, "万美元", 67.63)


def test_ties_share_a_rank(engine: Engine, tmp_path: Path) -> None:
    text = as_csv([
        ["汉阴县", "2023Q1", "内资", "50", "亿元", "", "100"],     # 50.00%
        ["汉滨区", "2023Q1", "内资", "30", "亿元", "", "100"],     # 30.00%
        ["旬阳市", "2023Q1", "内资", "45", "亿元", "", "150"],     # 30.00%
        ["宁陕县", "2023Q1", "内资", "29.996", "亿元", "", "100"],  # 29.996% shows as 30.00%: tied
        ["石泉县", "2023Q1", "内资", "10", "亿元", "", "100"],
    ])
    import_file(engine, "indicators", write(tmp_path / "ties.csv", text))
    ranking = rank_regions(store_for(engine), "2023Q1", "内资")
    assert [(r.rank, r.region) for r in ranking.rows] == [(1, "汉阴县"), (2, "汉滨区"), (2, "旬阳市"), (2, "宁陕县"),
                                                          (5, "石泉县")]
    assert len(ranking.no_data) == 8  # the other regions: 无数据, not last


def test_city_total_falls_back_to_sum_and_says_so(engine: Engine, tmp_path: Path) -> None:
    text = as_csv([["汉阴县", "2023Q2", "外资", "236.7", "万美元", "", "350"],
                   ["高新区", "2023Q2", "外资", "121.8", "万美元", "", "1100"],
                   ["全市", "2022Q2", "外资", "200", "万美元", "", ""]])
    import_file(engine, "indicators", write(tmp_path / "no_city_row.csv", text))
    store = store_for(engine)
    result = city_total(store, "2023Q2", "外商直接投资")
    assert (result.basis, result.value) == ("各地区合计", 358.5)
    assert result.annual_target is None and result.completion_pct is None  # 1450 is not the city's target
    assert result.regions_target_sum == 1450.0
    assert "各地区合计" in result.summary and "旬阳市" in result.summary  # says which regions are missing
    assert get_indicator(store, "安康市", "2023Q2", "外资").basis == "各地区合计"


def test_yoy_is_computed_when_not_reported(engine: Engine, tmp_path: Path) -> None:
    text = as_csv([["汉滨区", "2022Q2", "内资", "40", "亿元", "", ""], ["汉滨区", "2023Q2", "内资", "50", "亿元", "", "138"]])
    import_file(engine, "indicators", write(tmp_path / "yoy.csv", text))
    result = get_indicator(store_for(engine), "汉滨区", "2023年上半年", "内资")
    assert (result.yoy_pct, result.yoy_basis) == (25.0, "按上年同期数值计算")
    assert len(result.provenance.row_ids) == 2


def test_demo_import_is_idempotent(engine: Engine) -> None:
    first = import_demo(engine, DEMO_DIR)
    names = [s.file_name for s in first]
    assert names[:3] == ["offices.csv", "enterprises.csv", "projects_2023-06-30.csv"]  # earlier weeks first
    assert names.index("projects.csv") < names.index("problems_2023-06-30.csv") < names.index("contacts.csv")
    before = snapshot(engine)
    second = import_demo(engine, DEMO_DIR)
    assert not any(s.changed for s in second)
    assert snapshot(engine) == before


def test_project_rows_are_checked(engine: Engine, tmp_path: Path) -> None:
    text = (
        "项目名称,地区,产业链,企业,总投资（万元）,阶段,签约日期,开工日期,投产日期,到位资金（亿元）,是否外资,外资金额（万美元）\n"
        "甲项目,汉阴县,新材料,,65000,已开工,2023-02-08,2023/3/15,,2.6,否,\n"
        "乙项目,汉阴县,新型材料,,10000,开工,2023-02-08,,,0.5,否,\n"
        "丙项目,高新区,区块链,,10000,签约,2023-02-30,,,2,否,\n"
        "丁项目,瀛湖,,,,在谈,2023-01-01,,,,否,\n"
    )
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "projects", write(tmp_path / "projects.csv", text))
    reasons = {(p.row, p.column): p.reason for p in err.value.problems}
    assert "必须填写开工日期" in reasons[(3, "开工日期")]
    assert "未知产业链" in reasons[(4, "产业链")]
    assert reasons[(4, "签约日期")] == "不是有效日期"
    assert "不应有签约日期" in reasons[(5, "签约日期")]
    assert (2, "开工日期") not in reasons  # 甲项目 is fine: 65000 万元 = 6.5 亿元, 2023/3/15 is a date
    assert snapshot(engine)["projects"] == []


def test_problem_must_name_a_known_project(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine, DEMO_DIR)
    text = "编号,项目名称,地区,问题描述,责任部门,状态,提出日期,解决日期\nX-1,不存在的项目,,用地,市自然资源局,未解决,2023-01-01,\n"
    with pytest.raises(ImportRejected, match="项目库中没有该项目"):
        import_file(engine, "problems", write(tmp_path / "problems.csv", text))


def test_missing_columns_are_named(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="缺少必需的列：指标"):
        import_file(engine, "indicators", write(tmp_path / "x.csv", "地区,期间,数值\n汉滨区,2023Q1,1\n"), layout="long")
