"""Errors raised by the project database and the figure tools.

Every message is Chinese and names the value the user gave and what to do; the edges
(CLI, API, chat engine) show str(err) as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError


class FigureError(AssistantError):
    """Base class for database and figure-tool errors."""


class _KeyErrorMessage(KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownRegion(FigureError, _KeyErrorMessage):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"未知地区“{name}”。已知地区：{'、'.join(self.known)}（也可用简称，如“汉滨”“旬阳”）。")


class UnknownMetric(FigureError, _KeyErrorMessage):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"未知指标“{name}”。已知指标：{'、'.join(self.known)}。")


class UnknownChain(FigureError, _KeyErrorMessage):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"未知产业链“{name}”。“5+3”重点产业链：{'、'.join(self.known)}。")


class InvalidValue(FigureError, ValueError):
    """A period, unit, stage or other value that cannot be understood."""


class InvalidPeriod(InvalidValue):
    def __init__(self, text: str, reason: str = "") -> None:
        self.text = text
        hint = "可写作 2023Q1、2023-07（1-7月累计）、2023（全年）、2023年一季度、2023年1-7月"
        super().__init__(f"无法识别期间“{text}”{'：' + reason if reason else ''}。{hint}。")


class UnitMismatch(InvalidValue):
    def __init__(self, from_unit: str, to_unit: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        super().__init__(f"单位“{from_unit}”不能换算为“{to_unit}”。")


class DatabaseNotReady(FigureError):
    """The database file or schema is missing or older than this program."""


class ImportFormatError(FigureError):
    """The file as a whole cannot be imported (unreadable, missing columns, unknown layout)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"无法导入文件“{self.path.name}”：{reason}")


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: row is the row number as shown when the file is opened in Excel."""

    row: int
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        shown = self.value if self.value.strip() else "（空）"
        return f"第 {self.row} 行，列“{self.column}”，值“{shown}”：{self.reason}"


class PartialPeriod(FigureError):
    """An indicator file that lacks some regions for a period and metric the database holds more of: importing
    it would replace the whole period and delete the others' rows, which needs the explicit flag."""

    def __init__(self, path: Path | str, file_regions: Sequence[str], removed: dict[str, list[str]]) -> None:
        self.path = Path(path)
        self.removed = removed  # "2023Q1 实际引进内资" → the regions whose rows would be deleted
        count = len({r for names in removed.values() for r in names})
        listed = "；".join(f"{what}：{'、'.join(names)}" for what, names in removed.items())
        shown = "、".join(file_regions[:8]) + ("等" if len(file_regions) > 8 else "")
        super().__init__(
            f"未导入：文件“{self.path.name}”只有 {len(file_regions)} 个地区（{shown}）的数据，而重新导入某期指标会整期替换——"
            f"数据库中另外 {count} 个地区的这些数据将被删除（{listed}）。数据库未做任何修改。"
            "如确要整期替换，请加 --replace-period（工作台勾选“整期替换”）；只想更新个别地区的，请在文件中保留该期全部地区的数据。")


class ImportRejected(FigureError):
    """At least one row is bad; nothing was written."""

    def __init__(self, path: Path | str, problems: Sequence[RowProblem], footer: Sequence[str] = ()) -> None:
        self.path = Path(path)
        self.problems = sorted(problems, key=lambda p: (p.row, p.column))
        self.footer = list(footer)
        rows = len({p.row for p in self.problems})
        lines = [f"导入失败：文件“{self.path.name}”有 {rows} 行数据有误（共 {len(self.problems)} 处），数据库未做任何修改。"]
        lines += ["  " + p.describe() for p in self.problems]
        lines += self.footer
        lines.append("请修改以上各处后重新导入。")
        super().__init__("\n".join(lines))


class AggregateSuppressed(FigureError, PermissionError):
    """A county officer's aggregate that would let them derive another single region's or project's figure."""

    def __init__(self, what: str, others: int, minimum: int) -> None:
        self.what = what
        self.others = others
        self.minimum = minimum
        super().__init__(
            f"{what}：除您所在地区外，参与统计的只有 {others} 个地区或项目（少于 {minimum} 个），"
            f"显示合计就能推算出其他地区的单项数据，因此县区账号不显示。如需查看，请联系市局科室。")


class RegionDenied(FigureError, PermissionError):
    """A county officer asked for another region's rows."""

    def __init__(self, asked: str, allowed: str) -> None:
        self.asked = asked
        self.allowed = allowed
        super().__init__(f"您的账号只能查看{allowed}的数据和全市汇总数据，不能查看{asked}的明细。")


class LedgerDenied(FigureError, PermissionError):
    """A county officer asked for a ledger kept by the city bureau only (the 联络处's 走访/叩门 records)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what}是市局的工作台账，县区账号不能查看；需要时请联系市招商和经济合作局。")


class CityConfigError(FigureError):
    """The city file (县区、开发区、产业链) cannot be used as it stands."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        super().__init__(f"城市配置文件 {file} 有误：{reason}。请修改该文件后重试。")


class CityMismatch(FigureError):
    """The project database was set up for another city than the one configured."""

    def __init__(self, database_city: str, configured: str, file: str) -> None:
        super().__init__(f"项目数据库是{database_city}的，而当前城市配置（{file}）是{configured}：不写入。"
                         f"请设置 ASSISTANT_CITY_FILE 指向{database_city}的配置文件，或为{configured}另建数据目录。")
