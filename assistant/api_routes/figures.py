"""Figures: the typed read-only tools over the project database, one GET route each.

Unknown regions, metrics and chains answer 404, values that cannot be understood (periods, units) 422,
both with the tool's Chinese message; see errors.status_for.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from assistant.api_routes.auth import CurrentUser
from assistant.api_routes.deps import State, Store
from assistant.tools import (
    CityTotalResult,
    EventList,
    IndicatorResult,
    LaggingResult,
    ProblemList,
    ProjectStats,
    RankingResult,
    city_total,
    get_indicator,
    lagging_regions,
    list_events,
    open_problems,
    project_stats,
    rank_regions,
)


def _audited(request: Request, state: State, user: CurrentUser) -> None:
    query = f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path
    state.auth.audit.record(user.username, user.role, "figures", query, via="api")


router = APIRouter(prefix="/api/figures", tags=["数据"], dependencies=[Depends(_audited)])

Region = Annotated[str, Query(min_length=1, max_length=50, description="地区名或简称，如 汉阴县、汉滨、全市")]
OptionalRegion = Annotated[str | None, Query(max_length=50, description="地区名或简称")]
Period = Annotated[str, Query(min_length=1, max_length=30, description="累计期间，如 2023Q1、2023-07、2023")]
OptionalPeriod = Annotated[str | None, Query(max_length=30, description="累计期间，如 2023Q1")]
Metric = Annotated[str, Query(min_length=1, max_length=30, description="指标，如 实际引进内资、外商直接投资")]


@router.get("/indicator", summary="某地区某期间某指标：数值、同比、目标、完成进度、排名")
def indicator(store: Store, region: Region, period: Period, metric: Metric,
              unit: Annotated[str | None, Query(max_length=20)] = None) -> IndicatorResult:
    return get_indicator(store, region, period, metric, unit)


@router.get("/rank", summary="各县（市、区）、开发区排名")
def rank(store: Store, period: Period, metric: Metric,
         by: Annotated[str, Query(max_length=20, description="completion、value 或 yoy")] = "completion"
         ) -> RankingResult:
    return rank_regions(store, period, metric, by)  # type: ignore[arg-type]  # the tool validates `by`


@router.get("/lagging", summary="完成进度低于序时进度的地区")
def lagging(store: Store, period: Period, metric: Metric) -> LaggingResult:
    return lagging_regions(store, period, metric)


@router.get("/city", summary="全市合计")
def city(store: Store, period: Period, metric: Metric) -> CityTotalResult:
    return city_total(store, period, metric)


@router.get("/projects", summary="项目库统计")
def projects(store: Store, period: OptionalPeriod = None, region: OptionalRegion = None,
             chain: Annotated[str | None, Query(max_length=30, description="“5+3”产业链名")] = None) -> ProjectStats:
    return project_stats(store, period or None, region or None, chain or None)


@router.get("/events", summary="招商活动及签约合计")
def events(store: Store, period: OptionalPeriod = None,
           city: Annotated[str | None, Query(max_length=30, description="举办城市")] = None) -> EventList:
    return list_events(store, period or None, city or None)


@router.get("/problems", summary="问题台账中未解决的问题")
def problems(store: Store, region: OptionalRegion = None,
             department: Annotated[str | None, Query(max_length=30, description="责任部门")] = None) -> ProblemList:
    return open_problems(store, region or None, department or None)
