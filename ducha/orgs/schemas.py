from __future__ import annotations

from ninja import Field, Schema

from ducha.core.schemas import PageOut, PageQuery, Ref
from ducha.core.text import Search
from ducha.orgs.choices import OrgKind, SiteKind, TeamKind


class OrgQuery(PageQuery):
    kind: OrgKind | None = None
    parent: int | None = None
    q: Search = ""


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    level: int | None
    code: str
    path: str


class OrgPage(PageOut):
    items: list[OrgOut]


class SiteQuery(PageQuery):
    region: int | None = Field(None, description="A region: sites in its whole subtree.")
    kind: SiteKind | None = None
    q: Search = ""


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: Ref
    address: str


class SitePage(PageOut):
    items: list[SiteOut]


class TeamQuery(PageQuery):
    kind: TeamKind | None = None
    active: bool | None = None
    q: Search = ""


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    dispatched_by: Ref
    active: bool
    regions: list[Ref]


class TeamPage(PageOut):
    items: list[TeamOut]
