"""Certificate PDFs (ReportLab): an embedded, subset CJK font, a vector QR code to the verify page.

A PDF is drawn from the certificate's stored content and document whenever it is downloaded, in the
reader's language: the same certificate always says the same thing, and nothing personal is kept as
a file.
"""

from __future__ import annotations

import io
import json
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

import segno
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from yigong.certificates import numbers
from yigong.certificates.fonts import cjk_font
from yigong.certificates.models import Certificate
from yigong.volunteers.identity import IdType

INK = colors.HexColor("#1d2330")
MUTED = colors.HexColor("#535b6b")
LINE = colors.HexColor("#c9ced6")
BRAND = colors.HexColor("#b3261e")
SOFT = colors.HexColor("#f4f1ec")
# The documents' official names, as a certificate must print them (the volunteers app's labels are
# descriptions for forms).
ID_TYPE_NAMES = {
    IdType.RESIDENT_ID: gettext_lazy("Resident Identity Card"),
    IdType.HKMO_RESIDENCE: gettext_lazy("Residence Permit for Hong Kong, Macao and Taiwan Residents"),
    IdType.HKMO_PERMIT: gettext_lazy("Mainland Travel Permit for Hong Kong and Macao Residents"),
    IdType.TW_PERMIT: gettext_lazy("Mainland Travel Permit for Taiwan Residents"),
    IdType.PASSPORT: gettext_lazy("Passport"),
    IdType.FOREIGN_PR: gettext_lazy("Foreigner's Permanent Residence ID Card"),
}


def id_type_name(value: str) -> str:
    return str(ID_TYPE_NAMES.get(value, value))


def hours_text(minutes: int) -> str:
    """750 -> "12小时30分钟" / "12 h 30 min" (whole minutes, never a float)."""
    hours, rest = divmod(max(minutes, 0), 60)
    if rest == 0:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


def date_text(value: str | date) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return formats.date_format(value, "DATE_FORMAT")


def verify_url(number: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("certificates:verify", args=[number])


@lru_cache(maxsize=256)
def _qr(payload: str) -> segno.QRCode:
    """Choosing the mask is most of a QR code's cost; a downloaded certificate is often downloaded again."""
    return segno.make(payload, error="m", micro=False)


class QRCode(Flowable):
    """A QR code drawn as vector squares (crisp at any zoom, no image library involved)."""

    def __init__(self, payload: str, size: float):
        super().__init__()
        self.qr = _qr(payload)
        self.size = size
        self.width = self.height = size

    def draw(self):
        matrix = self.qr.matrix
        border = 2
        count = len(matrix) + 2 * border
        cell = self.size / count
        c = self.canv
        c.setFillColor(colors.white)
        c.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        c.setFillColor(colors.black)
        for r, row in enumerate(matrix):
            y = self.size - (r + border + 1) * cell
            x0 = None
            for col, dark in enumerate([*row, 0]):
                if dark and x0 is None:
                    x0 = col
                elif not dark and x0 is not None:
                    c.rect((x0 + border) * cell, y, (col - x0) * cell, cell, stroke=0, fill=1)
                    x0 = None


class Seal(Flowable):
    """Where the issuing organization's seal goes on a printed copy."""

    def __init__(self, size: float, label: str, font: str):
        super().__init__()
        self.width = self.height = size
        self.label, self.font = label, font

    def draw(self):
        c = self.canv
        c.setStrokeColor(LINE)
        c.setDash(3, 2)
        c.circle(self.width / 2, self.height / 2, self.width / 2 - 1, stroke=1, fill=0)
        c.setFillColor(MUTED)
        c.setFont(self.font, 9)
        c.drawCentredString(self.width / 2, self.height / 2 - 3, self.label)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, textColor=INK, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontSize=24, leading=32, alignment=TA_CENTER,
                                textColor=INK, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14, alignment=TA_CENTER,
                                   textColor=MUTED),
        "right": ParagraphStyle("right", parent=base, fontSize=9, leading=13, alignment=TA_RIGHT,
                                textColor=MUTED),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, textColor=BRAND, spaceBefore=10,
                             spaceAfter=4),
        "body": ParagraphStyle("body", parent=base, fontSize=11.5, leading=21, firstLineIndent=23),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "cellr": ParagraphStyle("cellr", parent=base, fontSize=9.5, leading=13, alignment=TA_RIGHT),
        "label": ParagraphStyle("label", parent=base, fontSize=9.5, leading=13, textColor=MUTED),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _title(kind: str) -> str:
    if kind == Certificate.Kind.HOURS_PROOF:
        return _("Proof of Volunteer Service Hours")
    return _("Certificate of Volunteer Service")


def _subtitle(kind: str) -> str:
    if kind == Certificate.Kind.HOURS_PROOF:
        return _("For Youth League membership, school credit and social practice")
    if kind == Certificate.Kind.DISTRICT:
        return _("District summary of confirmed service hours")
    return _("Issued by the organization that recorded the service")


def _statement(cert: Certificate, content: dict, doc: dict) -> str:
    v = content["volunteer"]
    data = {
        "name": doc.get("name") or v["name_masked"],
        "id_type": id_type_name(v["id_type"]),
        "id": v["id_masked"],
        "number": v["registration_number"],
        "start": date_text(content["period"][0]),
        "end": date_text(content["period"][1]),
        "issuer": content["issuer"]["name"],
        "hours": hours_text(content["minutes"]),
    }
    if cert.kind == Certificate.Kind.DISTRICT:
        text = _("This is to certify that %(name)s (%(id_type)s %(id)s, volunteer number %(number)s) "
                 "served as a volunteer in this district from %(start)s to %(end)s. The confirmed service "
                 "hours recorded by the organizations of the district total %(hours)s.")
    elif cert.kind == Certificate.Kind.HOURS_PROOF:
        text = _("This is to prove that %(name)s (%(id_type)s %(id)s, volunteer number %(number)s), a "
                 "member of %(issuer)s, served as a volunteer from %(start)s to %(end)s. The confirmed "
                 "service hours recorded by %(issuer)s and its teams total %(hours)s.")
    else:
        text = _("This is to certify that %(name)s (%(id_type)s %(id)s, volunteer number %(number)s) "
                 "served as a volunteer in activities organized by %(issuer)s from %(start)s to %(end)s. "
                 "The confirmed service hours recorded by %(issuer)s total %(hours)s.")
    return text % data


def _table(rows, widths, *, header=True, zebra=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SOFT), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]
    table.setStyle(TableStyle(style))
    return table


def render(cert: Certificate, *, base_url: str) -> bytes:
    """The certificate as PDF bytes, in the active language."""
    font = cjk_font()
    st = _styles(font)
    content = json.loads(cert.content)
    doc_data = cert.document or {}
    width = A4[0] - 36 * mm
    url = verify_url(cert.number, base_url)
    display_number = numbers.display(cert.number)

    story: list = []
    story.append(Table(
        [[_p(_("Yigong volunteer-service platform"), st["small"]),
          _p(_("No. %(number)s") % {"number": display_number}, st["right"])]],
        colWidths=[width * 0.5, width * 0.5],
        style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    ))
    story.append(HRFlowable(width="100%", thickness=1.2, color=BRAND, spaceBefore=4, spaceAfter=14))
    story.append(_p(_title(cert.kind), st["title"]))
    story.append(_p(_subtitle(cert.kind), st["subtitle"]))
    story.append(Spacer(1, 10 * mm))
    story.append(_p(_statement(cert, content, doc_data), st["body"]))
    story.append(Spacer(1, 5 * mm))

    v = content["volunteer"]
    facts = [
        (_("Name"), doc_data.get("name") or v["name_masked"]),
        (_("ID type"), id_type_name(v["id_type"])),
        (_("ID number"), v["id_masked"]),
        (_("Volunteer number"), v["registration_number"]),
        (_("Period"), _("%(start)s to %(end)s") % {"start": date_text(content["period"][0]),
                                                   "end": date_text(content["period"][1])}),
        (_("Confirmed service hours"), _("%(hours)s (%(minutes)d minutes)")
         % {"hours": hours_text(content["minutes"]), "minutes": content["minutes"]}),
        (_("Number of services"), str(doc_data.get("service_count", ""))),
    ]
    rows = [[_p(label, st["label"]), _p(value, st["cell"])] for label, value in facts]
    story.append(_table(rows, [width * 0.28, width * 0.72], header=False))

    if cert.kind != Certificate.Kind.HOURS_PROOF and doc_data.get("services"):
        story.append(_p(_("Services"), st["h2"]))
        rows = [[_p(_("Organization"), st["label"]), _p(_("Activity"), st["label"]),
                 _p(_("Dates"), st["label"]), _p(_("Times"), st["label"]), _p(_("Hours"), st["label"])]]
        for line in doc_data["services"]:
            dates = line["first"] if line["first"] == line["last"] else f"{line['first']} – {line['last']}"
            rows.append([_p(line["organization"], st["cell"]), _p(line["activity"], st["cell"]),
                         _p(dates, st["cell"]), _p(line["count"], st["cellr"]),
                         _p(hours_text(line["minutes"]), st["cellr"])])
        story.append(_table(rows, [width * 0.24, width * 0.28, width * 0.27, width * 0.07, width * 0.14]))

    for section in doc_data.get("sections", []):
        story.append(_p(_(section["title"]), st["h2"]))
        headers = section.get("headers") or []
        rows = ([[_p(_(h), st["label"]) for h in headers]] if headers else []) + [
            [_p(cell, st["cell"]) for cell in row] for row in section["rows"]
        ]
        cols = max(len(r) for r in rows)
        story.append(_table(rows, [width / cols] * cols, header=bool(headers)))

    issuer = content["issuer"]
    issuer_lines = [(_("Issuing organization"), issuer["name"])]
    if issuer.get("credit_code"):
        issuer_lines.append((_("Unified social credit code"), issuer["credit_code"]))
    issuer_lines += [
        (_("Person in charge"), cert.person_in_charge or "_" * 16),
        (_("Handler"), cert.handler or _("issued online at the volunteer's request")),
        (_("Date of issue"), date_text(content["issued_on"])),
    ]
    left = Table([[_p(label, st["label"]), _p(value, st["cell"])] for label, value in issuer_lines],
                 colWidths=[width * 0.26, width * 0.46],
                 style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    seal = Seal(30 * mm, _("(seal)"), font)
    story.append(Spacer(1, 5 * mm))
    story.append(KeepTogether([Table([[left, seal]], colWidths=[width * 0.72, width * 0.28],
                                     style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                            ("ALIGN", (1, 0), (1, 0), "CENTER"),
                                            ("LEFTPADDING", (0, 0), (-1, -1), 0)])]))

    verify_text = [
        _p(_("Scan the code or open the address below to check that this certificate is authentic "
             "and still valid:"), st["cell"]),
        _p(url, st["cell"]),
        Spacer(1, 2 * mm),
        _p(_("Signed electronically (Ed25519, key %(key)s). Free of charge.") % {"key": cert.key_id},
           st["small"]),
    ]
    story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether([
        HRFlowable(width="100%", thickness=0.5, color=LINE, spaceAfter=4),
        Table([[QRCode(url, 27 * mm), verify_text]], colWidths=[31 * mm, width - 31 * mm],
              style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
    ]))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, display_number)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(page)d") % {"page": doc.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
        title=f"{_title(cert.kind)} {display_number}", author=issuer["name"], subject=display_number,
        creator="Yigong", invariant=1,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
