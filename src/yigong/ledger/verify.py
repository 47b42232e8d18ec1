"""Walk each district chain in id order and report every entry that was altered, removed or inserted
behind the application's back. Streams rows (constant memory) so it runs on chains of any length."""

from __future__ import annotations

from dataclasses import dataclass, field

from yigong.ledger.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from yigong.ledger.models import LedgerEntry, LedgerHead

CHUNK = 2000
_COLUMNS = ("id", "prev_hash", "hash", *HASHED_FIELDS)


@dataclass
class Problem:
    district_code: str
    entry_id: int | None  # None: the chain as a whole (its head)
    message: str

    def __str__(self) -> str:
        where = f"entry #{self.entry_id}" if self.entry_id is not None else "head"
        return f"chain {self.district_code} {where}: {self.message}"


@dataclass
class ChainReport:
    district_code: str
    entries: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class Report:
    chains: list[ChainReport]

    @property
    def intact(self) -> bool:
        return all(chain.intact for chain in self.chains)

    @property
    def problems(self) -> list[Problem]:
        return [p for chain in self.chains for p in chain.problems]

    @property
    def entries(self) -> int:
        return sum(chain.entries for chain in self.chains)


class _Walk:
    def __init__(self, district_code: str):
        self.report = ChainReport(district_code)
        self.expected_seq = 1

    def problem(self, entry_id, message: str) -> None:
        self.report.problems.append(Problem(self.report.district_code, entry_id, message))

    def feed(self, row: dict) -> None:
        r = self.report
        entry_id = row["id"]
        if entry_hash(row["prev_hash"], row) != row["hash"]:
            self.problem(entry_id, "altered: its stored contents do not match its hash")
        if row["prev_hash"] != r.last_hash:
            before = f"entry #{r.last_id}" if r.last_id is not None else "the start of the chain"
            self.problem(entry_id, f"does not follow {before} (prev_hash mismatch): an entry between "
                                   f"them was removed or inserted, or {before} was rewritten")
        if row["seq"] is None:
            self.problem(entry_id, "has no position in the chain: not appended by the application")
            self.expected_seq += 1
        elif row["seq"] != self.expected_seq:
            if row["seq"] > self.expected_seq:
                gap = row["seq"] - self.expected_seq
                self.problem(entry_id, f"is at position {row['seq']}, expected {self.expected_seq}: "
                                       f"{gap} entr{'y' if gap == 1 else 'ies'} removed before it")
            else:
                self.problem(entry_id, f"is at position {row['seq']}, expected {self.expected_seq}: "
                                       "inserted behind the application's back or position altered")
        if row["seq"] is not None:
            self.expected_seq = max(self.expected_seq, row["seq"]) + 1
        r.entries += 1
        r.last_id = entry_id
        r.last_hash = row["hash"]

    def finish(self, head: LedgerHead | None) -> ChainReport:
        r = self.report
        if head is None:
            if r.entries:
                self.problem(None, f"{r.entries} entries but no chain head: entries were inserted behind "
                                   "the application's back")
            return r
        if head.last_entry_id != r.last_id:
            if r.last_id is not None and (head.last_entry_id is None or r.last_id > head.last_entry_id):
                self.problem(r.last_id, f"comes after the head's last entry #{head.last_entry_id}: "
                                        "inserted behind the application's back")
            else:
                self.problem(head.last_entry_id, f"is missing: the head ends the chain at #{head.last_entry_id} "
                                                 f"but the last stored entry is "
                                                 f"{'#' + str(r.last_id) if r.last_id else 'none'}: "
                                                 "entries were removed from the end of the chain")
        if head.count != r.entries:
            self.problem(None, f"records {head.count} entries, found {r.entries}")
        if head.last_entry_id == r.last_id and head.last_hash != r.last_hash:
            self.problem(r.last_id, "its hash differs from the one the head recorded: the last entry "
                                    "was rewritten")
        return r


def verify_chain(district_code: str) -> ChainReport:
    walk = _Walk(district_code)
    rows = LedgerEntry.objects.filter(district_code=district_code).order_by("id")
    last_id = 0
    head = None
    for _pass in range(10):
        for row in rows.filter(id__gt=last_id).values(*_COLUMNS).iterator(chunk_size=CHUNK):
            walk.feed(row)
            last_id = row["id"]
        head = LedgerHead.objects.filter(district_code=district_code).first()
        # Entries appended while we walked are committed together with their head update: if the
        # head now points further than we read, walk the new ones too.
        if head is None or head.last_entry_id is None or head.last_entry_id <= last_id:
            break
        if not rows.filter(id__gt=last_id).exists():
            break  # the head points at entries that are gone: reported by finish()
    return walk.finish(head)


def verify_all(district_code: str | None = None) -> Report:
    if district_code:
        codes = [district_code]
    else:
        codes = sorted(
            set(LedgerHead.objects.values_list("district_code", flat=True))
            | set(LedgerEntry.objects.order_by().values_list("district_code", flat=True).distinct())
        )
    return Report([verify_chain(code) for code in codes])
