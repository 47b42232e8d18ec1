"""How a ledger entry is hashed into its district's chain.

hash = SHA-256( prev_hash (64 hex chars, ASCII) + canonical JSON of the recorded fields (UTF-8) )

The canonical JSON has sorted keys, no whitespace, non-ASCII kept as UTF-8, datetimes in UTC as
"YYYY-MM-DDTHH:MM:SS.ffffffZ", dates as "YYYY-MM-DD", ids as integers or null. It carries a format
version "v", so the format can change later without making older entries unverifiable.

The database id is *not* hashed: it does not exist until the row is inserted, and it is a storage
detail that may change when rows move (restore, re-sharding). The entry's position in its chain
(`seq`, 1, 2, 3 … per district) is hashed instead and is unique per chain. Everything a certificate
relies on is hashed: volunteer id and registration number, organization id and name, activity,
shift and sign-up ids, titles, date, times, minutes, kind, source, corrected entry, reason,
recorder and time of recording.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

FORMAT_VERSION = 1
GENESIS_HASH = "0" * 64

# The model fields that are hashed (attribute names; foreign keys by their *_id column).
HASHED_FIELDS = (
    "district_code",
    "seq",
    "volunteer_id",
    "registration_number",
    "organization_id",
    "organization_name",
    "activity_id",
    "activity_title",
    "shift_id",
    "signup_id",
    "position_name",
    "service_date",
    "started_at",
    "ended_at",
    "minutes",
    "kind",
    "source",
    "corrects_id",
    "reason",
    "recorded_by_id",
    "recorded_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("ledger times must be timezone-aware")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical_json(fields: dict[str, Any]) -> bytes:
    """The canonical form of an entry's hashed fields (`fields` maps HASHED_FIELDS to values)."""
    payload = {name: _plain(fields[name]) for name in HASHED_FIELDS}
    payload["v"] = FORMAT_VERSION
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(fields)).hexdigest()


def fields_of(entry) -> dict[str, Any]:
    """The hashed fields of a LedgerEntry instance."""
    return {name: getattr(entry, name) for name in HASHED_FIELDS}
