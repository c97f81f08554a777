from django import template

from ..help import STEPS

register = template.Library()


@register.inclusion_tag("youthpass/_help.html")
def youthpass_help(step: str) -> dict:
    """The "how this step works" panel of one step of the path (an unknown step is a programming error)."""
    audience, paragraphs = STEPS[step]
    return {"step": step, "audience": audience, "paragraphs": paragraphs}
