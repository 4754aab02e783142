"""Short 公文-style documents made up for ingest-while-serving runs (the test here and
bench/ingest_while_serving.py): each has its own title and a number of its own, so a search can tell that
exactly this document is visible."""

from __future__ import annotations

from pathlib import Path

_REGIONS = ("汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "旬阳市", "白河县")
_CHAINS = ("富硒食品", "新型材料", "装备制造", "生物医药", "纺织丝绸", "新能源", "文旅康养")


def title_of(n: int) -> str:
    return f"关于{_REGIONS[n % len(_REGIONS)]}{_CHAINS[n % len(_CHAINS)]}产业第{n + 1}号专项调度情况的通报"


def marker_of(n: int) -> str:
    """A phrase only document `n` contains: 调度编号 plus a number no other text has."""
    return f"调度编号{7301 + n}"


def document_text(n: int) -> str:
    region, chain = _REGIONS[n % len(_REGIONS)], _CHAINS[n % len(_CHAINS)]
    return (
        f"安康市招商和经济合作局\n{title_of(n)}\n安招通〔2024〕{n + 1}号\n\n"
        f"各县（市、区）招商局：\n"
        f"一、基本情况\n本次专项调度（{marker_of(n)}）覆盖{region}{chain}产业链在谈项目{3 + n % 5}个、"
        f"签约项目{2 + n % 4}个，计划总投资{12 + n}.5亿元。\n"
        f"二、存在问题\n部分项目要素保障滞后，用地报批和环评手续办理周期偏长，{chain}链主企业配套率不高。\n"
        f"三、下一步工作\n一是实行周调度，由{region}招商局每周报送进展。二是对{chain}重点项目落实项目管家，"
        f"全程帮办代办。三是{region}于本季度末前完成{marker_of(n)}所列问题的销号。\n"
        f"安康市招商和经济合作局\n2024年{1 + n % 12}月{1 + n % 28}日\n"
    )


def write_documents(directory: Path, count: int, first: int = 0) -> list[Path]:
    """Write documents first … first+count-1 as UTF-8 .txt files; returns their paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(first, first + count):
        path = directory / f"专项调度通报_{n + 1:03d}.txt"
        path.write_text(document_text(n), encoding="utf-8")
        paths.append(path)
    return paths
