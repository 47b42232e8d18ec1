"""Ed25519 signatures over a certificate's canonical content.

The signing key is derived from settings.CERTIFICATE_SIGNING_KEY (generated into $YIGONG_HOME for
the embedded default, YIGONG_CERT_KEY in production), so it is kept like every other secret and
never stored in the database. Each certificate stores the id of the key that signed it; keys of
earlier settings can be listed in settings.YIGONG_CERTIFICATE_OLD_KEYS to keep verifying old
certificates after a rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

_CONTEXT = b"yigong certificate signing key v1"


def canonical_json(content: dict) -> str:
    """One spelling of the content: sorted keys, no spaces, UTF-8 kept (signed as UTF-8 bytes)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=8)
def _private_key(secret: str) -> Ed25519PrivateKey:
    seed = hmac.new(secret.encode(), _CONTEXT, hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_public_raw(public)).hexdigest()[:16]


def current_key() -> Ed25519PrivateKey:
    return _private_key(settings.CERTIFICATE_SIGNING_KEY)


def current_key_id() -> str:
    return key_id_of(current_key().public_key())


def public_key_b64() -> str:
    return base64.b64encode(_public_raw(current_key().public_key())).decode()


def _public_keys() -> dict[str, Ed25519PublicKey]:
    secrets_ = [settings.CERTIFICATE_SIGNING_KEY, *getattr(settings, "YIGONG_CERTIFICATE_OLD_KEYS", [])]
    keys = {}
    for secret in secrets_:
        public = _private_key(secret).public_key()
        keys[key_id_of(public)] = public
    return keys


def sign(text: str) -> tuple[str, str]:
    """Sign canonical text; returns (key id, base64 signature)."""
    key = current_key()
    signature = key.sign(text.encode("utf-8"))
    return key_id_of(key.public_key()), base64.b64encode(signature).decode()


def verify(text: str, signature_b64: str, key_id: str) -> bool:
    public = _public_keys().get(key_id)
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature_b64, validate=True), text.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True
