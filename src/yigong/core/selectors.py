from django.db.models import Count, Q

from yigong.organizations.models import Organization
from yigong.volunteers.models import Volunteer


def district_figures() -> dict:
    orgs = Organization.objects.active().aggregate(
        teams=Count("id", filter=Q(kind=Organization.Kind.TEAM)),
        stations=Count("id", filter=Q(kind=Organization.Kind.COMMUNITY_STATION)),
        city_stations=Count("id", filter=Q(kind=Organization.Kind.CITY_STATION)),
    )
    return {"volunteers": Volunteer.objects.active().count(), **orgs}
