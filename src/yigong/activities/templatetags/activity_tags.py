from django import template

from yigong.volunteers.models import Language, Skill

register = template.Library()


@register.filter
def skill_label(value: str) -> str:
    return str(Skill(value).label) if value in Skill.values else value


@register.filter
def language_label(value: str) -> str:
    return str(Language(value).label) if value in Language.values else value
