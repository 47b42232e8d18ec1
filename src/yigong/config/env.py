"""Configuration read from the environment, with secrets kept in $YIGONG_HOME for the embedded default."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def yigong_home() -> Path:
    return Path(os.environ.get("YIGONG_HOME", "./yigong-data")).resolve()


def local_secrets(home: Path) -> dict[str, str]:
    """Secrets for the embedded default: generated once, kept owner-only in $YIGONG_HOME."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)  # new homes are owner-only
    path = home / "secrets.json"
    wanted = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": lambda: secrets.token_hex(32),
        "FIELD_HASH_KEY": lambda: secrets.token_hex(32),
        "CERTIFICATE_SIGNING_KEY": lambda: secrets.token_hex(32),
    }
    data: dict[str, str] = {}
    if path.exists():
        data = json.loads(path.read_text())
    missing = {k: make() for k, make in wanted.items() if k not in data}
    if missing:
        data.update(missing)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
        os.replace(tmp, path)
    os.chmod(path, 0o600)
    return data
