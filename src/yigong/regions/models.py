from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def streets(self):
        return self.filter(level=Region.Level.STREET)

    def communities(self):
        return self.filter(level=Region.Level.COMMUNITY)

    def within(self, region: Region):
        """The region and every region under it."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    """An administrative area: district → street (街道) → community (社区), GB/T 2260-style codes."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("district")
        STREET = "street", _("street")
        COMMUNITY = "community", _("community")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    # Codes of the ancestors and itself, "440307/440307001/440307001001/": subtree by prefix.
    path = models.CharField(max_length=64, db_index=True, editable=False)
    active = models.BooleanField(_("active"), default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        return (self.parent.path if self.parent_id else "") + self.code + "/"
