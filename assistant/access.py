"""What one user may see. Enforced below the model: the knowledge base filters chunks by disclosure class,
the figure tools filter rows by region. Front ends pass an Access in; nothing here knows about logins."""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC = "公开"
INTERNAL = "内部"
DISCLOSURE_CLASSES = (PUBLIC, INTERNAL)  # 涉密 documents never enter the knowledge base


@dataclass(frozen=True)
class Access:
    """classes: disclosure classes whose chunks may be returned; region: for a county officer, the one
    region whose rows (projects, enterprises, problems, county indicators) they may see — city-wide
    aggregates stay visible. None means every region."""

    classes: tuple[str, ...] = DISCLOSURE_CLASSES
    region: str | None = None

    @property
    def internal(self) -> bool:
        return INTERNAL in self.classes

    def describe(self) -> str:
        seen = "公开和内部文档" if self.internal else "仅公开文档"
        return f"{seen}；{'仅' + self.region + '的数据及全市汇总' if self.region else '全部地区的数据'}"


FULL_ACCESS = Access()
