from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

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
    lifetime_days: int | None = Field(
        None,
        description="Days until the token expires: 1 to DUCHA_TOKEN_MAX_AGE_DAYS (90 unless "
        "the server says otherwise), which is also the default.",
    )
    scope: Literal["read", "write"] | None = Field(
        None, description="`read`: safe methods only (GET); `write` (default): everything."
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The first characters of the key, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    last_used_from: str | None
    expires_at: datetime = Field(..., description="When the token stops working.")
    scope: str = Field(..., description="`read` (safe methods only) or `write`.")
    revoked_at: datetime | None

    @staticmethod
    def resolve_expires_at(token: Any) -> datetime:
        # Tokens from before expiry existed have none stored; their expiry is computed.
        return token.expires


class NewTokenOut(TokenOut):
    key: str = Field(..., description="The token itself. Shown this once; only a hash is kept.")
