"""`{% feedback_public specification as rating %}`: the catalogue's aggregate of learner feedback, or None below
the minimum count that keeps single ratings anonymous (services.feedback.PUBLIC_MIN_COUNT)."""

from django import template

from ..selectors import feedback_public_summary

register = template.Library()


@register.simple_tag
def feedback_public(specification):
    from ..services.feedback import PUBLIC_MIN_COUNT

    return feedback_public_summary(specification=specification, minimum=PUBLIC_MIN_COUNT)
