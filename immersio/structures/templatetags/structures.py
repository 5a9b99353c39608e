"""Template tags of host structures: pages say the capacity rule's numbers from its rules."""

from django import template

from immersio.structures import rules

register = template.Library()


@register.simple_tag
def capacity_rule() -> dict[str, int | str]:
    return rules.capacity_rule()
