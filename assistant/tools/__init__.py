"""Typed, read-only figure tools over the project database.

Each tool takes a FigureStore (read-only) as its first argument, which the caller binds; the
remaining parameters and the Chinese docstring are what a language model sees. Every result is a
pydantic model carrying its figures and a provenance {table, row_ids, period, as_of, formula};
`.model_dump()` is JSON-serialisable. Tools raise the errors in assistant.db.errors (UnknownRegion,
UnknownMetric, InvalidPeriod, ...); a chat engine should turn them into "Error: <message>" for
the model rather than stop.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from assistant.db.periods import Period, find_period, parse_period
from assistant.db.session import FigureStore
from assistant.tools.directory import (
    EnterpriseList,
    ProjectDetail,
    find_enterprise,
    find_project,
    list_enterprises,
)
from assistant.tools.formulas import FORMULAS
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.indicators import (
    CityTotalResult,
    IndicatorResult,
    LaggingResult,
    RankingResult,
    city_total,
    get_indicator,
    lagging_regions,
    rank_regions,
)
from assistant.tools.ledger import EventList, ProblemList, list_events, open_problems
from assistant.tools.projects import ProjectList, ProjectStats, list_projects, project_stats, stalled_projects
from assistant.tools.registry import REGISTRY, FigureTool, declared, get_tool, run_tool
from assistant.tools.types import NO_DATA, Figure, Provenance, format_value

# The order tools are listed in (the model's tool list, the CLI, the API): by module, then by line.
MODULE_ORDER = ("assistant.tools.indicators", "assistant.tools.monthly", "assistant.tools.projects", "assistant.tools.lifecycle",
                "assistant.tools.directory", "assistant.tools.ledger", "assistant.tools.contacts",
                "assistant.tools.assessment")
# Every module of this package is imported, so a module declaring a tool with @figure_tool is registered by being
# here: adding a tool touches no other file (modules not named in MODULE_ORDER are listed after those that are).
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
TOOLS: list[Callable[..., Any]] = [tool.function for tool in declared()]

__all__ = [
    "FORMULAS",
    "REGISTRY",
    "EnterpriseList",
    "FigureTool",
    "ProjectDetail",
    "find_enterprise",
    "find_project",
    "get_tool",
    "list_enterprises",
    "run_tool",
    "stalled_projects",
    "NO_DATA",
    "TOOLS",
    "CityTotalResult",
    "EventList",
    "Figure",
    "FigureStore",
    "IndicatorResult",
    "LaggingResult",
    "Period",
    "ProblemList",
    "ProjectList",
    "ProjectStats",
    "Provenance",
    "RankingResult",
    "city_total",
    "competition_rank",
    "find_period",
    "format_value",
    "get_indicator",
    "lagging_regions",
    "list_events",
    "list_projects",
    "open_problems",
    "parse_period",
    "project_stats",
    "rank_regions",
]
