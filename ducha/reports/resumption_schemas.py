"""The resumption dashboard over JSON (复工复产): the same figures as the page."""

from __future__ import annotations

from ninja import Field
from pydantic import BaseModel

from ducha.core.schemas import Bounded


class ResumptionQuery(Bounded):
    # A string, checked by the same function as the page's, so both refuse a bad day alike.
    as_of: str = Field(
        "", max_length=10, description="The day counted (YYYY-MM-DD, 2000 on); default: today."
    )
    region: int | None = Field(
        None, description="A region of your jurisdiction; default: its first region."
    )


class RegionRef(BaseModel):
    id: int
    name: str


class RatesOut(BaseModel):
    key: str = Field(description="The category's code, the area, or the region's id.")
    label: str
    total: int = Field(description="Registered by the day and supervised here.")
    filed: int
    resumed: int = Field(description="Working that day (stopped again not counted).")
    excluded: int = Field(description="Registered by the day, outside supervision.")
    filing_rate: str = Field(description="Filed ÷ total, percent, two decimals, half up.")
    resumption_rate: str


class ExcludedOut(BaseModel):
    id: int
    name: str
    kind: str
    category: str
    area: str
    reason: str


class ResumptionOut(BaseModel):
    as_of: str
    region: RegionRef | None = Field(description="None: the enterprises your unit supervises.")
    title: str
    whole: RatesOut
    industry: RatesOut | None = Field(description="Industry as a whole (above-scale and other).")
    categories: list[RatesOut]
    areas: list[RatesOut]
    regions: list[RatesOut] = Field(description="By region one level down.")
    excluded: int
    excluded_listed: list[ExcludedOut]
    sentences: list[str]
