"""Reference data (the “一图” part): the city, its counties and zones, the “5+3” industry chains, and the tracked
metrics and vocabularies.

The city's regions and chains are configuration data, not code: assistant/resources/city.yaml (安康市: its 9
counties/districts, 旬阳市 and three development zones as in the bureau's quarterly table; the “5+3” chains of the
demo corpus's handbook), or the file ASSISTANT_CITY_FILE names for another city. Migrations write them into the
database (added and updated, never deleted) so that imports check names against them. 驻外招商联络处 (驻外分局)
are imported as a data file too (`assistant db import offices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.db.errors import CityConfigError

CITY_NAME = "全市"
DEFAULT_CITY_FILE = Path(__file__).resolve().parents[1] / "resources" / "city.yaml"
REGION_KINDS = ("县", "市", "区", "开发区")


@dataclass(frozen=True)
class RegionDef:
    name: str
    full_name: str
    kind: str  # 县 / 市 / 区 / 开发区 / 全市
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ChainDef:
    name: str
    group: str  # "5": 五条主导产业链, "3": 三条新兴产业链
    lead_department: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CityConfig:
    """One city as its configuration file describes it: the counties and zones in report order, then 全市."""

    name: str
    file: str
    regions: tuple[RegionDef, ...]
    chains: tuple[ChainDef, ...]
    assessment_file: Path | None = None  # the city's 考核方案 (its county classes name its counties)

    @property
    def counties(self) -> list[RegionDef]:
        return [r for r in self.regions if r.kind != "全市"]


def _names(value: Any, where: str, file: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise CityConfigError(file, f"{where}的“简称”应为列表，如 [汉滨, 汉滨区]")
    return tuple(str(v).strip() for v in value if str(v).strip())


def load_city(path: Path | None = None) -> CityConfig:
    """Read and check a city file (default: the built-in 安康市); CityConfigError names the entry that is wrong."""
    path = path or DEFAULT_CITY_FILE
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CityConfigError(str(path), f"无法读取：{err}") from err
    file = path.name
    if not isinstance(data, dict) or not isinstance(data.get("城市"), dict) or not data["城市"].get("名称"):
        raise CityConfigError(file, "缺少“城市: {名称: …}”")
    city = data["城市"]
    regions: list[RegionDef] = []
    for n, item in enumerate(data.get("县区") or [], start=1):
        where = f"第 {n} 个县区"
        if not isinstance(item, dict) or not str(item.get("名称") or "").strip():
            raise CityConfigError(file, f"{where}缺少“名称”")
        name = str(item["名称"]).strip()
        kind = str(item.get("类别") or "").strip()
        if kind not in REGION_KINDS:
            raise CityConfigError(file, f"{where}（{name}）的“类别”为“{kind}”，应为：{'、'.join(REGION_KINDS)}")
        if name == CITY_NAME or any(r.name == name for r in regions):
            raise CityConfigError(file, f"{where}的名称“{name}”重复或与“{CITY_NAME}”相同")
        regions.append(RegionDef(name, str(item.get("全称") or name).strip(), kind, _names(item.get("简称"), where, file)))
    if not regions:
        raise CityConfigError(file, "“县区”为空：至少要有一个县（市、区）或开发区")
    chains: list[ChainDef] = []
    for n, item in enumerate(data.get("产业链") or [], start=1):
        where = f"第 {n} 条产业链"
        if not isinstance(item, dict) or not str(item.get("名称") or "").strip():
            raise CityConfigError(file, f"{where}缺少“名称”")
        name = str(item["名称"]).strip()
        group = str(item.get("组别") or "").strip()
        if group not in ("5", "3") or any(c.name == name for c in chains):
            raise CityConfigError(file, f"{where}（{name}）的“组别”应为 5 或 3，且名称不能重复")
        chains.append(ChainDef(name, group, str(item.get("牵头部门") or "").strip(),
                               _names(item.get("简称"), where, file)))
    city_name = str(city["名称"]).strip()
    whole = RegionDef(CITY_NAME, city_name, "全市", (city_name, *_names(city.get("简称"), "城市", file)))
    scheme = data.get("考核方案")
    scheme_file = (path.parent / str(scheme)) if scheme else None
    if scheme_file is not None and not scheme_file.is_file():
        raise CityConfigError(file, f"“考核方案”指向的文件 {scheme} 不存在（相对于城市配置文件所在目录）")
    return CityConfig(city_name, file, (*regions, whole), tuple(chains), scheme_file)


def configured_city() -> CityConfig:
    """The city this installation serves: ASSISTANT_CITY_FILE, or the built-in 安康市."""
    from assistant.config import city_file

    return load_city(city_file())


@dataclass(frozen=True)
class MetricDef:
    name: str
    unit: str
    aliases: tuple[str, ...]


METRICS: tuple[MetricDef, ...] = (
    MetricDef(
        "实际引进内资",
        "亿元",
        ("内资", "引进内资", "实际到位内资", "到位内资", "实际引进内资额"),
    ),
    MetricDef(
        "外商直接投资",
        "万美元",
        ("外资", "利用外资", "实际使用外资", "实际利用外资", "外商直接投资额", "使用外资", "FDI"),
    ),
)

PROJECT_STAGES: tuple[str, ...] = ("线索", "在谈", "签约", "开工", "投产")
SIGNED_STAGES: tuple[str, ...] = PROJECT_STAGES[2:]  # a project at one of these has signed: it has funds to arrive
STAGE_ALIASES: dict[str, str] = {
    "项目线索": "线索",
    "洽谈": "在谈",
    "洽谈中": "在谈",
    "已签约": "签约",
    "签约未开工": "签约",
    "已开工": "开工",
    "在建": "开工",
    "建设中": "开工",
    "正在建设": "开工",
    "施工中": "开工",
    "已投产": "投产",
    "建成投产": "投产",
    "竣工投产": "投产",
}
ENTERPRISE_CATEGORIES: tuple[str, ...] = ("中国500强", "民营500强", "世界500强", "行业领军", "外资", "其他")
PROBLEM_STATUSES: tuple[str, ...] = ("未解决", "推进中", "已解决")
PROBLEM_STATUS_ALIASES: dict[str, str] = {
    "待解决": "未解决",
    "未办结": "未解决",
    "协调中": "推进中",
    "办理中": "推进中",
    "正在解决": "推进中",
    "已办结": "已解决",
    "办结": "已解决",
    "解决": "已解决",
}


# Short names staff use for departments (市发改委 for 市发展和改革委员会). Each key is the part of the full
# name the alias stands for; a department is matched when its full name contains that part.
DEPARTMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "发展和改革": ("发改委", "发改局", "发改", "发展改革委", "发展改革"),
    "工业和信息化": ("工信局", "工信", "经信局", "工业和信息化局"),
    "自然资源": ("自然资源局", "自规局", "资规局", "国土局", "国土"),
    "生态环境": ("生态环境局", "环保局", "环保", "环境局"),
    "住房和城乡建设": ("住建局", "住建", "城建局"),
    "人力资源和社会保障": ("人社局", "人社", "劳动局"),
    "市场监督管理": ("市场监管局", "市监局", "市场监管", "工商局"),
    "交通运输": ("交通局", "交通运输局", "交通"),
    "财政": ("财政局",),
    "商务": ("商务局",),
    "农业农村": ("农业农村局", "农业局"),
    "文化和旅游": ("文旅局", "文化旅游局"),
    "卫生健康": ("卫健委", "卫健局", "卫生局"),
    "供电": ("电力公司", "供电局", "国网", "电力"),
    "管委会": ("管委会",),
}


# 两单一台账 vocabularies (issue 15). Values are checked on import; the aliases are what staff type.
LEAD_GRADES: tuple[str, ...] = ("A", "B", "C")
LEAD_GRADE_ALIASES: dict[str, str] = {"A类": "A", "甲": "A", "甲类": "A", "一类": "A", "B类": "B", "乙": "B", "乙类": "B",
                                      "二类": "B", "C类": "C", "丙": "C", "丙类": "C", "三类": "C"}
BUILD_TYPES: tuple[str, ...] = ("新建", "续建")
BUILD_TYPE_ALIASES: dict[str, str] = {"新开工": "新建", "新建项目": "新建", "续建项目": "续建", "续建工程": "续建"}
ESCALATIONS: tuple[str, ...] = ("县级", "市级", "市级联席会议")
ESCALATION_ALIASES: dict[str, str] = {"县区级": "县级", "县区": "县级", "县": "县级", "市": "市级", "市直部门": "市级",
                                      "联席会议": "市级联席会议", "市联席会议": "市级联席会议", "提交联席会议": "市级联席会议"}
EVALUATIONS: tuple[str, ...] = ("满意", "基本满意", "不满意")
CONTACT_METHODS: tuple[str, ...] = ("走访", "叩门", "来访", "会谈", "电话", "视频", "推介")
