"""Fixtures shared by every test. Test data builders live in tests/factories.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

import yigong
from yigong.accounts.models import ApiToken

# Validators are pure functions: no deadline (CI machines vary), and no example database in the tree.
hypothesis_settings.register_profile("yigong", deadline=None, database=None)
hypothesis_settings.load_profile("yigong")


CJK = re.compile(r"[\u4e00-\u9fff]")
_CATALOG_APPS = ("core", "accounts", "volunteers", "organizations", "regions")

# The Simplified Chinese catalogs of the foundation apps are written by the pages work; until they
# are on main, tests of the Chinese wording are reported as skipped (never as passed).
requires_zh_catalogs = pytest.mark.skipif(
    not all((Path(yigong.__file__).parent / app / "locale/zh_Hans/LC_MESSAGES/django.mo").exists()
            for app in _CATALOG_APPS),
    reason="zh-Hans catalogs of the foundation apps are not on this branch yet",
)


def assert_chinese(text: str, english: str | None = None) -> None:
    """`text` is Chinese: it holds CJK characters and is not the English original."""
    assert CJK.search(text), text
    if english is not None:
        assert text != english


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default language unless they ask for another."""
    settings.LANGUAGE_CODE = "zh-hans"
    return settings


@pytest.fixture
def tree(db):
    """The standard scoping tree (see tests.factories.Tree)."""
    from tests.factories import build_tree

    return build_tree()


class ApiClient:
    """Calls /api/v1 with JSON, as anonymous or as a user holding a real bearer token.

    `lang` sets Accept-Language ("en", "zh-hans"); `ip` sets REMOTE_ADDR.
    """

    prefix = "/api/v1"

    def __init__(self, client, *, token: str | None = None, lang: str | None = None, ip: str = "127.0.0.1"):
        self.client, self.token, self.lang, self.ip = client, token, lang, ip

    def as_user(self, user, **kwargs) -> ApiClient:
        return ApiClient(self.client, token=ApiToken.issue(user), lang=kwargs.get("lang", self.lang),
                         ip=kwargs.get("ip", self.ip))

    def speaking(self, lang: str) -> ApiClient:
        return ApiClient(self.client, token=self.token, lang=lang, ip=self.ip)

    def from_ip(self, ip: str) -> ApiClient:
        return ApiClient(self.client, token=self.token, lang=self.lang, ip=ip)

    def _headers(self) -> dict:
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.lang:
            headers["Accept-Language"] = self.lang
        return headers

    def get(self, path: str, **query):
        return self.client.get(self.prefix + path, query, headers=self._headers(), REMOTE_ADDR=self.ip)

    def post(self, path: str, body=None):
        import json

        data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        return self.client.post(self.prefix + path, data, content_type="application/json",
                                headers=self._headers(), REMOTE_ADDR=self.ip)


@pytest.fixture
def api(client) -> ApiClient:
    """Anonymous API client; `api.as_user(user)` gives one with a bearer token."""
    return ApiClient(client)
