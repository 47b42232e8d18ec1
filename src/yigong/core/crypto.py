"""Field encryption (AES-256-GCM) and keyed lookup hashes (HMAC-SHA256) for personal data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


def _key_bytes(value: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        # Any other string is stretched into a 32-byte key.
        raw = hashlib.sha256(value.encode()).digest()
    return raw


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    return AESGCM(_key_bytes(key))


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plaintext.encode(), b"yigong")
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    blob = base64.b64decode(token[len(_PREFIX):])
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(blob[:12], blob[12:], b"yigong").decode()


def lookup_hash(kind: str, normalized: str) -> str:
    """A keyed hash to find a record by a personal number without storing it in clear."""
    key = _key_bytes(settings.FIELD_HASH_KEY)
    return hmac.new(key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()
