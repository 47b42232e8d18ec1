"""The CJK font embedded (subset) in certificate PDFs.

ReportLab embeds TrueType (glyf) fonts only, not the CFF-based OpenType most CJK fonts ship as, so
we use WenQuanYi Micro Hei (TrueType, Apache-2.0 / GPLv3 with font exception). `pip install` of
Yigong brings it (package paperang-p2-fonts-cjk ships the .ttc); Debian's fonts-wqy-microhei or
fonts-wqy-zenhei, or any TrueType CJK font named in YIGONG_CJK_FONT, serve as well.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FONT_NAME = "YigongCJK"

_SYSTEM_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

MISSING_MESSAGE = (
    "No TrueType CJK font for certificate PDFs was found. Reinstall Yigong so that its dependency "
    "paperang-p2-fonts-cjk is present (pip install -e .), or install Debian's fonts-wqy-microhei "
    "(apt-get install fonts-wqy-microhei), or set YIGONG_CJK_FONT to a .ttf/.ttc file with "
    "TrueType outlines (CFF-based .otf fonts such as Noto Sans CJK cannot be embedded by ReportLab)."
)


def candidates() -> list[Path]:
    found: list[Path] = []
    configured = os.environ.get("YIGONG_CJK_FONT", "").strip()
    if configured:
        return [Path(configured)]  # an explicit choice is not silently replaced by another font
    try:
        import paperang_p2_fonts_cjk

        found.append(Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc")
    except ImportError:
        pass
    found.extend(Path(p) for p in _SYSTEM_CANDIDATES)
    return found


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the first usable TrueType CJK font with ReportLab; returns its ReportLab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    problems = []
    for path in candidates():
        if not path.is_file():
            problems.append(f"{path}: not found")
            continue
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=0)
        except TTFError as exc:
            problems.append(f"{path}: {exc}")
            continue
        if not font.face.charToGlyph.get(ord("证")):
            problems.append(f"{path}: has no Chinese characters")
            continue
        pdfmetrics.registerFont(font)
        return FONT_NAME
    raise ImproperlyConfigured(MISSING_MESSAGE + " Tried: " + "; ".join(problems))
