"""Reference data (the “一图” part): regions, the “5+3” industry chains and the tracked metrics.

Regions and chains are written into the database by migration 2 so that imports can check names
against them. The region list is 安康市's 9 counties/districts, 旬阳市 and the three development
zones as in the bureau's quarterly table. The “5+3” chains are those of the demo corpus's handbook
(“5”: 富硒食品、新型材料、装备制造、纺织丝绸、生物医药; “3”: 新能源、文旅康养、电子信息); the lead
departments are samples to be checked against the city's 链长制 document. Change them with a new
migration step.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_NAME = "全市"


@dataclass(frozen=True)
class RegionDef:
    name: str
    full_name: str
    kind: str  # 县 / 市 / 区 / 开发区 / 全市
    aliases: tuple[str, ...]


REGIONS: tuple[RegionDef, ...] = (
    RegionDef("汉滨区", "安康市汉滨区", "区", ("汉滨",)),
    RegionDef("旬阳市", "旬阳市", "市", ("旬阳", "旬阳县")),
    RegionDef("汉阴县", "汉阴县", "县", ("汉阴",)),
    RegionDef("石泉县", "石泉县", "县", ("石泉",)),
    RegionDef("宁陕县", "宁陕县", "县", ("宁陕",)),
    RegionDef("紫阳县", "紫阳县", "县", ("紫阳",)),
    RegionDef("岚皋县", "岚皋县", "县", ("岚皋",)),
    RegionDef("平利县", "平利县", "县", ("平利",)),
    RegionDef("镇坪县", "镇坪县", "县", ("镇坪",)),
    RegionDef("白河县", "白河县", "县", ("白河",)),
    RegionDef("高新区", "安康高新技术产业开发区", "开发区", ("高新", "安康高新区", "高新技术产业开发区")),
    RegionDef("瀛湖", "瀛湖生态旅游区", "开发区", ("瀛湖生态旅游区", "瀛湖旅游区", "瀛湖景区")),
    RegionDef("恒口", "恒口示范区", "开发区", ("恒口示范区", "恒口示范区（试验区）", "恒口试验区")),
    RegionDef(CITY_NAME, "安康市", "全市", ("安康市", "安康", "全市合计", "合计", "总计", "全市总计")),
)


@dataclass(frozen=True)
class ChainDef:
    name: str
    group: str  # "5": 五条主导产业链, "3": 三条新兴产业链
    lead_department: str
    aliases: tuple[str, ...]


CHAINS: tuple[ChainDef, ...] = (
    ChainDef("富硒食品", "5", "市农业农村局", ("富硒", "富硒产业", "富硒茶", "富硒食品产业链")),
    ChainDef("新型材料", "5", "市工业和信息化局", ("新材料", "现代材料", "新型材料产业链")),
    ChainDef("装备制造", "5", "市工业和信息化局", ("智能制造", "高端装备", "装备制造产业链")),
    ChainDef("纺织丝绸", "5", "市商务局", ("纺织服装", "丝绸", "纺织", "毛绒玩具", "纺织丝绸产业链")),
    ChainDef("生物医药", "5", "市卫生健康委员会", ("秦巴医药", "中医药", "医药", "生物医药产业链")),
    ChainDef("新能源", "3", "市发展和改革委员会", ("锂电新能源", "锂电新能源材料", "锂电", "新能源产业链")),
    ChainDef("文旅康养", "3", "市文化和旅游广电局", ("生态文旅", "生态旅游", "文化旅游", "康养旅游", "文旅")),
    ChainDef("电子信息", "3", "市工业和信息化局", ("电子", "电子元器件", "电子信息产业链")),
)


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
STAGE_ALIASES: dict[str, str] = {
    "项目线索": "线索",
    "洽谈": "在谈",
    "洽谈中": "在谈",
    "已签约": "签约",
    "签约未开工": "签约",
    "已开工": "开工",
    "在建": "开工",
    "建设中": "开工",
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
