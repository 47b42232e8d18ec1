from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "yigong.certificates"
    label = "certificates"
    verbose_name = _("certificates and corrections")

    def ready(self) -> None:
        from yigong.certificates import selectors
        from yigong.volunteers.services import EXPORT_SECTIONS

        # A volunteer's download of everything held on them includes their certificates and requests.
        EXPORT_SECTIONS["certificates"] = selectors.export_certificates
        EXPORT_SECTIONS["correction_requests"] = selectors.export_corrections
