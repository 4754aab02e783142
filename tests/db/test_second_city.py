"""A second city set up by data files alone: 汉中市's counties, zone and chains in a city file, its 驻外分局 in an
offices file, then its ledgers imported and asked through the CLI, as a bureau in another city would do it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.cli import main
from assistant.config import Settings
from assistant.services import Services

HANZHONG = """考核方案: 考核.yaml
城市:
  名称: 汉中市
  简称: [汉中]
县区:
  - {名称: 汉台区, 全称: 汉中市汉台区, 类别: 区, 简称: [汉台]}
  - {名称: 南郑区, 全称: 汉中市南郑区, 类别: 区, 简称: [南郑]}
  - {名称: 城固县, 全称: 城固县, 类别: 县, 简称: [城固]}
  - {名称: 勉县, 全称: 勉县, 类别: 县, 简称: [勉县]}
  - {名称: 经开区, 全称: 汉中经济技术开发区, 类别: 开发区, 简称: [汉中经开区, 经济技术开发区]}
产业链:
  - {名称: 航空装备, 组别: "5", 牵头部门: 市工业和信息化局, 简称: [航空, 航空制造]}
  - {名称: 现代材料, 组别: "5", 牵头部门: 市工业和信息化局, 简称: [新材料]}
  - {名称: 绿色食药, 组别: "3", 牵头部门: 市农业农村局, 简称: [食药]}
"""
SCHEME = """name: 汉中市季度考核（测试方案）
classes:
  一类: [汉台区, 南郑区]
  二类: [城固县, 勉县, 经开区]
indicators:
  - {name: 实际引进内资完成进度, source: indicator, metric: 实际引进内资, weight: 100, target: 序时进度}
"""
OFFICES = "联络处名称,驻地城市,简称,负责人\n驻西安招商分局,西安,西安分局,赵某\n驻深圳招商分局,深圳,,钱某\n"
PROJECTS = """项目名称,地区,产业链,阶段,签约日期,开工日期,约定开工期限,来源/首谈单位,最新进展,进展日期,填报日期
航空零部件产业园项目,汉台,航空,签约,2024-05-06,,2024-09-30,西安分局,厂房设计,2024-07-20,2024-07-26
镁合金新材料项目,勉县,新材料,开工,2024-03-01,2024-06-18,2024-06-30,驻深圳招商分局,设备安装,2024-07-22,2024-07-26
富硒茶饮项目,城固县,食药,线索,,,,城固县招商局,初次洽谈,2024-07-10,2024-07-26
"""
CONTACTS = """日期,企业名称,对接单位,走访人员,方式,对接成果,下一步
2024-06-12,示例航空制造有限公司,西安分局,赵某,走访,了解零部件外协需求,邀请来汉考察
2024-07-03,示例镁业有限公司,驻深圳招商分局,钱某,叩门,企业有意扩产,对接勉县
"""
INDICATORS = """地区,期间,指标,数值,单位,同比,年度目标
汉台区,2024-07,实际引进内资,60,亿元,,100
南郑区,2024-07,实际引进内资,40,亿元,,80
城固县,2024-07,实际引进内资,30,亿元,,40
勉县,2024-07,实际引进内资,20,亿元,,50
经开区,2024-07,实际引进内资,50,亿元,,60
"""


@pytest.fixture
def hanzhong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    city = tmp_path / "city"
    city.mkdir()
    for name, text in (("汉中.yaml", HANZHONG), ("考核.yaml", SCHEME), ("offices.csv", OFFICES), ("projects.csv", PROJECTS),
                       ("contacts.csv", CONTACTS), ("indicators.csv", INDICATORS)):
        (city / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "indexes"))
    monkeypatch.setenv("ASSISTANT_CITY_FILE", str(city / "汉中.yaml"))
    monkeypatch.delenv("ASSISTANT_DATABASE_URL", raising=False)
    yield city


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_a_second_city_from_data_files(hanzhong: Path) -> None:
    for kind in ("offices", "projects", "contacts", "indicators"):
        result = run("db", "import", kind, str(hanzhong / f"{kind}.csv"))
        assert result.exit_code == 0, result.output
    listing = json.loads(run("figures", "project-list", "--region", "汉台", "--json").output)
    assert [p["name"] for p in listing["items"]] == ["航空零部件产业园项目"]
    chain = json.loads(run("figures", "project-list", "--chain", "航空制造", "--json").output)
    assert chain["total_count"] == 1
    contacts = run("figures", "contacts", "--office", "西安分局").output
    assert "驻西安招商分局" in contacts and "示例航空制造有限公司" in contacts and "示例镁业" not in contacts
    ranking = json.loads(run("figures", "monthly-ranking", "--period", "2024-07", "--json").output)
    assert [r["region"] for r in ranking["rows"]][:2] == ["经开区", "城固县"]  # 83.33% and 75.00%
    assert ranking["ranked_count"] == 5 and "汉阴县" not in json.dumps(ranking, ensure_ascii=False)
    # the city's own 考核方案 (named in its city file): 50% ÷ 58.33% (1-7月 序时进度) × 100 = 85.72
    scores = json.loads(run("figures", "assessment", "--period", "2024-07", "--json").output)
    assert scores["scheme"] == "汉中市季度考核（测试方案）"
    assert [(r["region"], r["total"], r["rank_in_class"]) for r in scores["rows"]] == [
        ("汉台区", 100.0, 1), ("南郑区", 85.72, 2), ("城固县", 100.0, 1), ("经开区", 100.0, 1), ("勉县", 68.58, 3)]


def test_a_county_the_city_file_does_not_name_is_refused_whole(hanzhong: Path) -> None:
    bad = hanzhong / "bad.csv"
    bad.write_text(PROJECTS.replace("勉县,新材料", "汉阴县,新材料"), encoding="utf-8")
    result = run("db", "import", "projects", str(bad))
    assert result.exit_code != 0 and "汉阴县" in result.output and "第 3 行" in result.output
    assert "航空零部件" not in run("figures", "project-list").output


def test_the_database_of_one_city_is_not_written_with_another_citys_file(hanzhong: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("db", "import", "offices", str(hanzhong / "offices.csv")).exit_code == 0
    monkeypatch.delenv("ASSISTANT_CITY_FILE")  # back to the built-in 安康市
    result = run("db", "import", "projects", str(hanzhong / "projects.csv"))
    assert result.exit_code != 0 and "项目数据库是汉中市的" in result.output and "ASSISTANT_CITY_FILE" in result.output


def test_a_broken_city_file_names_the_entry(hanzhong: Path) -> None:
    (hanzhong / "汉中.yaml").write_text(HANZHONG.replace("类别: 县, 简称: [勉县]", "类别: 乡, 简称: [勉县]"), encoding="utf-8")
    result = run("db", "import", "offices", str(hanzhong / "offices.csv"))
    assert result.exit_code != 0
    assert "城市配置文件 汉中.yaml 有误：第 4 个县区（勉县）的“类别”为“乡”" in result.output


def test_questions_about_the_second_citys_counties_are_answered_from_its_ledgers(hanzhong: Path) -> None:
    for kind in ("offices", "projects", "contacts"):
        assert run("db", "import", kind, str(hanzhong / f"{kind}.csv")).exit_code == 0
    listed = run("ask", "勉县有哪些项目？")
    assert listed.exit_code == 0 and "镁合金新材料项目" in listed.output and "航空零部件" not in listed.output
    # counted from the ledger's 填报日期 (2024-07-26), not from today: 81 days after the signing on 2024-05-06
    stalled = run("ask", "汉台签约超过30天还没开工的项目有哪些？")
    assert "截至2024年7月26日" in stalled.output and "航空零部件产业园项目" in stalled.output and "81 天" in stalled.output
    visits = run("ask", "西安分局对接了哪些企业？")
    assert "示例航空制造有限公司" in visits.output and "示例镁业" not in visits.output
    # 安康's counties are not this city's: said so, with the counties the city file names
    other = run("ask", "汉阴县有哪些项目？")
    assert "数据库中没有“汉阴县”的数据" in other.output and "汉台区、南郑区、城固县、勉县、经开区" in other.output


def test_retrieval_knows_the_second_citys_counties_from_its_city_file_alone(hanzhong: Path) -> None:
    from assistant.index.places import gazetteer

    places = gazetteer()
    assert places.find("汉台和汉中经开区的招商政策") == ["汉台区", "汉中经济技术开发区"]
    assert places.lineage("勉县") == ["勉县", "汉中市", "陕西省"]
    assert places.find("高新区的政策") == []  # a bare zone word names no one city's zone
    assert places.related("勉县", "汉中市") and not places.related("勉县", "安康市")


@pytest.mark.parametrize(("question", "tool"), [
    ("勉县有哪些项目？", "list_projects"),
    ("城固县有几个项目开工了", "list_projects"),
    ("勉县资金到位率多少", "county_project_rates"),
    ("汉台区项目开工率排第几", "county_start_rates"),
])
def test_a_second_citys_questions_are_routed_by_what_they_ask(hanzhong: Path, question: str, tool: str) -> None:
    """The routes' example questions name the built-in city's counties (汉阴县有哪些项目); they are placeholders
    there as 勉县 is in the question, so the route follows what is asked, not which city's county is named."""
    for kind in ("offices", "projects", "contacts"):
        assert run("db", "import", kind, str(hanzhong / f"{kind}.csv")).exit_code == 0
    assert Services(Settings()).assistant.route(question).route == tool
