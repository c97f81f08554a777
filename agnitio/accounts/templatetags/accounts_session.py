from django import template

register = template.Library()


@register.filter
def minutes_seconds(seconds) -> str:
    """1200 -> "20:00" (the remaining-time display of the idle session)."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"
