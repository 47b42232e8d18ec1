"""Extra sections a certificate shows "where present": training, star level, awards.

Another app registers a provider (in its AppConfig.ready), e.g. recognition:

    from yigong.certificates.sections import CERTIFICATE_SECTIONS, Section

    def stars(ctx):
        grant = ...  # the volunteer's level as of ctx.issued_on
        if grant is None:
            return None
        return Section(title="Star level", headers=["Level", "Granted on", "Certified by"],
                       rows=[["★★", "2026-03-01", "…"]])

    CERTIFICATE_SECTIONS["stars"] = stars

`title` and `headers` are English msgids of the providing app's catalogue: they are translated when
the PDF is drawn, in the reader's language; `rows` are data, shown as given. A provider returns
None when it has nothing for this volunteer, and the section is left out. The sections are taken
when the certificate is issued and kept with it, so a later change does not alter an issued
certificate. There is no training module yet: no provider, no section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class SectionContext:
    volunteer: object  # volunteers.Volunteer
    issuer: object  # organizations.Organization
    kind: str  # Certificate.Kind
    period_start: date
    period_end: date
    issued_on: date


@dataclass
class Section:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


# Order of insertion is the order on the certificate: training, stars, awards.
CERTIFICATE_SECTIONS: dict[str, Callable[[SectionContext], Section | None]] = {}


def collect(ctx: SectionContext) -> list[dict]:
    out = []
    for key, provider in CERTIFICATE_SECTIONS.items():
        section = provider(ctx)
        if section is not None and section.rows:
            out.append({"key": key, **asdict(section)})
    return out
