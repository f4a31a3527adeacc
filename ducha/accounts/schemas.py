from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from ducha.core.schemas import Body, Ref
from ducha.core.text import Name


class RoleOut(Schema):
    role: str
    label: str
    org: Ref


class MeOut(Schema):
    id: int
    username: str
    name: str
    language: str
    roles: list[RoleOut]


class TokenIn(Body):
    name: Name = Field(..., min_length=1)


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The first characters of the key, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(..., description="The token itself. Shown this once; only a hash is kept.")
