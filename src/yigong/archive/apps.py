from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "yigong.archive"
    label = "archive"
    verbose_name = _("Personal archive")

    def ready(self) -> None:
        # The volunteer's "download everything" export (PIPL) includes their service records.
        from yigong.archive.selectors import export_section
        from yigong.volunteers.services import EXPORT_SECTIONS

        EXPORT_SECTIONS["archive"] = export_section
