"""The demo district (skeleton; the demo issue fills it in)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str


@dataclass
class DemoResult:
    logins: list[DemoLogin]


def database_is_empty() -> bool:
    from yigong.organizations.models import Organization

    return not Organization.objects.exists()


def demo_logins() -> list[DemoLogin]:
    return []


def build_demo(*, seed: int, volunteers: int, progress: bool = False) -> DemoResult:
    raise NotImplementedError("the demo district is built in a later step")
