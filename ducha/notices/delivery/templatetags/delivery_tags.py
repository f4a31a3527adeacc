from typing import Any

from django import template

from ducha.notices.delivery.access import may_administer_channels

register = template.Library()


@register.filter
def may_set_up_robots(user: Any) -> bool:
    return may_administer_channels(user)
