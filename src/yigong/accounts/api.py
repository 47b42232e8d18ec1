from __future__ import annotations

from ninja import Router, Schema

from yigong.accounts.models import ApiToken
from yigong.accounts.services import login_with_password
from yigong.core.schemas import ErrorOut

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str  # a username or a mobile phone number
    password: str


class TokenOut(Schema):
    token: str


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@router.post("/token", response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut}, auth=None)
def create_token(request, payload: TokenIn):
    """Exchange a phone number or username and password for a bearer token (30 days)."""
    user = login_with_password(
        request=request, identifier=payload.username, password=payload.password, ip=client_ip(request),
    )
    return {"token": ApiToken.issue(user)}
