"""Demo step: Longgang, its eleven streets and the generated communities, from the shipped CSVs."""

from __future__ import annotations

from importlib import resources

from yigong.regions.models import Region
from yigong.regions.services import load_regions_csv

SNAPSHOTS = ["longgang-streets-2016.csv", "longgang-communities-demo-2016.csv"]


def snapshot_text(name: str) -> str:
    return (resources.files("yigong.regions") / "data" / name).read_text(encoding="utf-8-sig")


def build(ctx) -> None:
    for name in SNAPSHOTS:
        load_regions_csv(text=snapshot_text(name), actor=ctx.superuser)
    ctx.district = Region.objects.get(code="440307")
    ctx.streets = list(Region.objects.streets().within(ctx.district).order_by("code"))
    ctx.communities = list(
        Region.objects.communities().within(ctx.district).select_related("parent").order_by("code")
    )
