"""两单一台账 import: lifecycle columns, dated history, problem workflow, offices and contacts, bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select, text

from assistant.db.errors import ImportRejected
from assistant.db.importers import import_file
from assistant.db.migrations import migrate
from assistant.db.models import OPEN_END, Contact, Problem, ProblemProgress, Project, ProjectVersion
from assistant.db.session import create_writable_engine

from .test_db_import import snapshot, write

HEADER = ("项目名称,地区,产业链,总投资（亿元）,阶段,签约日期,开工日期,到位资金（亿元）,线索等级,来源/首谈单位,责任单位,"
          "包抓领导,项目管家,新建/续建,制造业,当年到位资金（亿元）,约定开工期限,最新进展,进展日期,填报日期\n")
OFFICES = "联络处名称,驻地城市,简称,负责人\n驻深圳招商联络处,深圳,深圳办,张三\n驻上海招商联络处,上海,,李四\n"


def ledger(rows: list[str], day: str = "2024-03-08") -> str:
    return HEADER + "".join(f"{r},{day}\n" for r in rows)


ROW_A = "甲项目,汉滨区,新能源,10,签约,2024-01-05,,1,A,驻深圳招商联络处,汉滨区招商局,王副市长,赵管家,新建,是,1,2024-04-30,完成环评,2024-03-01"
ROW_B = "乙项目,汉阴县,,2,在谈,,,,B,市招商局,汉阴县招商局,,,新建,否,,,,"


def test_ledger_columns_office_and_history(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "offices", write(tmp_path / "offices.csv", OFFICES))
    first = import_file(engine, "projects", write(tmp_path / "p1.csv", ledger([ROW_A, ROW_B], "2024-03-01")))
    assert (first.as_of, first.inserted, first.history) == (date(2024, 3, 1), 2, 2)
    started = ROW_A.replace(",签约,2024-01-05,,", ",开工,2024-01-05,2024-03-06,").replace("完成环评,2024-03-01",
                                                                                         "主体开工,2024-03-06")
    second = import_file(engine, "projects", write(tmp_path / "p2.csv", ledger([started, ROW_B], "2024-03-08")))
    assert (second.updated, second.unchanged, second.redated, second.history) == (1, 1, 2, 1)
    # an earlier week's file arriving late: history only, the current row stays at 开工
    early = ROW_A.replace("完成环评,2024-03-01", "环评公示,2024-02-20")
    late = import_file(engine, "projects", write(tmp_path / "p0.csv", ledger([early], "2024-02-23")))
    assert (late.kept_newer, late.updated, late.history) == (1, 0, 1)
    with engine.connect() as conn:
        row = conn.execute(select(Project).where(Project.name == "甲项目")).one()
        assert (row.stage, row.lead_grade, row.manager, row.build_type, row.is_manufacturing) == ("开工", "A", "赵管家",
                                                                                                  "新建", True)
        assert row.office_id is not None and row.start_deadline == date(2024, 4, 30)
        versions = conn.execute(select(ProjectVersion.valid_from, ProjectVersion.valid_to, ProjectVersion.stage)
                                .join(Project).where(Project.name == "甲项目").order_by(ProjectVersion.valid_from)).all()
    assert versions == [(date(2024, 2, 23), date(2024, 3, 1), "签约"), (date(2024, 3, 1), date(2024, 3, 8), "签约"),
                        (date(2024, 3, 8), OPEN_END, "开工")]
    # the same files again change nothing
    assert not import_file(engine, "projects", write(tmp_path / "p2.csv", ledger([started, ROW_B], "2024-03-08"))).changed


def test_old_project_files_still_import(engine: Engine, tmp_path: Path) -> None:
    old = ("项目名称,地区,产业链,企业,总投资（亿元）,阶段,签约日期,开工日期,投产日期,到位资金（亿元）,是否外资,外资金额（万美元）,备注\n"
           "丙项目,石泉县,,,3,签约,2024-02-01,,,0.5,否,,\n")
    summary = import_file(engine, "projects", write(tmp_path / "old.csv", old))
    assert (summary.inserted, summary.as_of, summary.history) == (1, None, 1)


@pytest.mark.parametrize("typed", ["2024.3.5", "2024年3月5日", "45356", "2024/03/05", "20240305"])
def test_dates_as_staff_type_them(engine: Engine, tmp_path: Path, typed: str) -> None:
    row = ROW_A.replace("2024-01-05", typed).replace("2024-04-30", "2024-05-31")
    import_file(engine, "projects", write(tmp_path / "p.csv", ledger([row], "2024-03-08")))
    with engine.connect() as conn:
        assert conn.scalar(select(Project.signed_on)) == date(2024, 3, 5)


def test_xlsx_serial_date_and_title_as_of(engine: Engine, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["安康市重点招商项目台账（截至2024年3月8日）"])
    ws.append(["项目名称", "地区", "阶段", "签约日期", "约定开工期限"])
    ws.append(["丁项目", "平利", "签约", 45356, "2024.6.30"])
    wb.save(tmp_path / "ledger.xlsx")
    summary = import_file(engine, "projects", tmp_path / "ledger.xlsx")
    assert summary.as_of == date(2024, 3, 8)
    with engine.connect() as conn:
        assert conn.execute(select(Project.signed_on, Project.start_deadline)).one() == (date(2024, 3, 5),
                                                                                         date(2024, 6, 30))


def test_bad_ledger_refused_whole_with_row_column_value_reason(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "projects", write(tmp_path / "good.csv", ledger([ROW_B])))
    before = snapshot(engine)
    rows = [
        ROW_A.replace("签约,2024-01-05", "已签合同,2024-01-05"),  # row 2: unknown stage word
        ROW_A.replace("甲项目", "戊项目").replace("2024-04-30", "2023-12-31"),  # row 3: deadline before signing
        ROW_A.replace("甲项目", "己项目").replace("汉滨区", "西乡县"),  # row 4: county not configured
        ROW_A.replace("甲项目", "戊项目"),  # row 5: listed twice
        ROW_A.replace("甲项目", "庚项目").replace("2024-01-05", "2024-13-05"),  # row 6: no such date
        ROW_A.replace("甲项目", "辛项目").replace(",新建,", ",扩建,"),  # row 7: build type not in the list
        ROW_A.replace("甲项目", "壬项目").replace("完成环评,2024-03-01", "完成环评,"),  # row 8: progress without date
    ]
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "projects", write(tmp_path / "bad.csv", ledger(rows)))
    found = {(p.row, p.column): (p.value, p.reason) for p in err.value.problems}
    assert "未知项目阶段“已签合同”" in found[(2, "阶段")][1]
    assert found[(3, "约定开工期限")] == ("2023-12-31", "约定开工期限早于签约日期（2024-01-05）")
    assert found[(4, "地区")] == ("西乡县", "未知地区")
    assert found[(5, "项目名称")] == ("戊项目", "与第 3 行重复")
    assert found[(6, "签约日期")] == ("2024-13-05", "不是有效日期")
    assert "未知建设性质“扩建”" in found[(7, "新建/续建")][1]
    assert "必须填写进展日期" in found[(8, "进展日期")][1]
    assert "数据库未做任何修改" in str(err.value)
    assert snapshot(engine) == before


def test_unreadable_date_names_the_formats(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "projects", write(tmp_path / "bad.csv", ledger([ROW_A.replace("2024-01-05", "三月五号")])))
    [problem] = err.value.problems
    assert problem.value == "三月五号" and "2024.3.5" in problem.reason and "45356" in problem.reason


def test_two_ledger_dates_in_one_file_refused(engine: Engine, tmp_path: Path) -> None:
    text_ = HEADER + f"{ROW_A},2024-03-08\n{ROW_B},2024-03-01\n"
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "projects", write(tmp_path / "bad.csv", text_))
    assert "同一文件的填报日期应相同" in str(err.value)


PROBLEMS = ("编号,项目名称,问题描述,责任部门,状态,提出日期,解决日期,办结时限,办理进展,进展日期,协调层级,企业评价,填报日期\n")


def test_problem_workflow_and_progress_log(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "projects", write(tmp_path / "p.csv", ledger([ROW_A])))
    week1 = PROBLEMS + "Q-1,甲项目,供电线路接入,国网供电公司,推进中,2024-02-01,,2024-03-31,已现场踏勘,2024-03-01,县级,,2024-03-01\n"
    week2 = PROBLEMS + "Q-1,甲项目,供电线路接入,国网供电公司,推进中,2024-02-01,,2024-03-31,提交市级联席会议,2024-03-07,联席会议,,2024-03-08\n"
    done = PROBLEMS + "Q-1,甲项目,供电线路接入,国网供电公司,已办结,2024-02-01,2024-03-12,2024-03-31,线路已接通,2024-03-12,市级联席会议,满意,2024-03-15\n"
    for name, body in (("w1.csv", week1), ("w2.csv", week2), ("w3.csv", done)):
        import_file(engine, "problems", write(tmp_path / name, body))
    with engine.connect() as conn:
        problem = conn.execute(select(Problem)).one()
        assert (problem.status, problem.escalation, problem.evaluation, problem.due_on) == (
            "已解决", "市级联席会议", "满意", date(2024, 3, 31))
        log = conn.execute(select(ProblemProgress.noted_on, ProblemProgress.text).order_by(ProblemProgress.noted_on)).all()
    assert [t for _, t in log] == ["已现场踏勘", "提交市级联席会议", "线路已接通"]


def test_problem_bad_workflow_refused(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "projects", write(tmp_path / "p.csv", ledger([ROW_A])))
    before = snapshot(engine)
    body = PROBLEMS + (
        "Q-1,甲项目,供电,国网,推进中,2024-02-01,,2024-01-15,,,,,2024-03-08\n"  # deadline before opened
        "Q-2,甲项目,用地,自然资源局,推进中,2024-02-01,,,,,省级,,2024-03-08\n"  # unknown escalation
        "Q-3,甲项目,环评,生态环境局,推进中,2024-02-01,,,,,,满意,2024-03-08\n")  # evaluation before closing
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "problems", write(tmp_path / "bad.csv", body))
    found = {(p.row, p.column): p.reason for p in err.value.problems}
    assert found[(2, "办结时限")] == "办结时限早于提出日期（2024-02-01）"
    assert "未知协调层级“省级”" in found[(3, "协调层级")]
    assert "办结后才有企业评价" in found[(4, "企业评价")]
    assert snapshot(engine) == before


def test_contacts_filed_under_offices(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, "offices", write(tmp_path / "offices.csv", OFFICES))
    body = ("日期,企业名称,对接单位,走访人员,方式,对接成果,下一步\n"
            "2024-03-01,欣旺达电子,深圳联络处,张三,叩门,介绍锂电产业链,邀请来安考察\n"
            "2024.3.5,某科技公司,驻上海招商联络处,李四,上门拜访,,\n"
            "2024-03-06,某科技公司,市招商局投资促进科,王五,来访,,\n")
    summary = import_file(engine, "contacts", write(tmp_path / "contacts.csv", body))
    assert summary.inserted == 3
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT c.unit, o.city, c.method FROM contacts c LEFT JOIN offices o "
                                 "ON o.id = c.office_id ORDER BY c.held_on")).all()
    assert [tuple(r) for r in rows] == [("深圳联络处", "深圳", "叩门"), ("驻上海招商联络处", "上海", "走访"),
                                        ("市招商局投资促进科", None, "来访")]
    with pytest.raises(ImportRejected) as err:
        import_file(engine, "contacts", write(tmp_path / "bad.csv", body.replace("叩门", "喝茶")
                                               + "2024-03-01,欣旺达电子,深圳联络处,张三,叩门,,\n"))
    found = {(p.row, p.column): p.reason for p in err.value.problems}
    assert "未知对接方式“喝茶”" in found[(2, "方式")] and found[(5, "企业名称")] == "与第 2 行重复"
    with engine.connect() as conn:
        assert conn.scalar(select(Contact.method).where(Contact.unit == "深圳联络处")) == "叩门"


def test_migration_adds_ledger_columns_to_an_old_database(tmp_path: Path) -> None:
    engine = create_writable_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate(engine)
    with engine.begin() as conn:  # make it look like a version-2 database
        for table in ("problem_progress", "contacts", "project_versions"):
            conn.execute(text(f"DROP TABLE {table}"))
        for column in ("progress", "start_deadline", "as_of"):  # (office_id: SQLite cannot drop a foreign key)
            conn.execute(text(f"ALTER TABLE projects DROP COLUMN {column}"))
        conn.execute(text("ALTER TABLE import_log DROP COLUMN as_of"))
        conn.execute(text("DROP TABLE offices"))
        conn.execute(text("DELETE FROM schema_version WHERE version = 3"))
    assert migrate(engine) == ["ledgers_lifecycle_history_contacts"]
    summary = import_file(engine, "projects", write(tmp_path / "p.csv", ledger([ROW_A])))
    assert summary.inserted == 1
    engine.dispose()


def test_large_sheets_are_streamed_and_zip_bombs_still_refused(engine: Engine, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from assistant.db import tabular
    from assistant.db.errors import ImportFormatError

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["项目名称", "地区", "阶段", "签约日期", "填报日期"])
    for i in range(50):
        ws.append([f"项目{i}", "汉滨", "签约", "2024.3.5", "2024-03-08"])
    wb.save(tmp_path / "ledger.xlsx")
    monkeypatch.setattr(tabular, "STREAM_ABOVE", 0)  # read the sheet as a 10,000-row ledger is read
    assert import_file(engine, "projects", tmp_path / "ledger.xlsx").inserted == 50
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(tmp_path / "ledger.xlsx") as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row/>" * 400_000 + b"</sheetData>")
            dst.writestr(item.filename, data, compresslevel=9)
    with pytest.raises(ImportFormatError, match="压缩炸弹"):
        import_file(engine, "projects", bomb)
