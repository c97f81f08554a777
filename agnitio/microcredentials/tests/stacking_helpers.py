"""Helpers of the stacking tests (own awards and recognitions alike)."""

from agnitio.microcredentials.selectors import stack_qualifier_page
from agnitio.microcredentials.services.specifications import specification_create, specification_publish


def stack_qualifiers(actor, specification, size=50):
    """Every learner who qualifies, following the pages."""
    found, cursor = [], None
    while True:
        page = stack_qualifier_page(actor=actor, specification=specification, cursor=cursor, size=size,
                                    invalid="raise")
        found += page.items
        if not page.has_next:
            return found
        cursor = page.next_cursor


def _spec(owner, organisation, data, title, publish=True):
    spec = specification_create(actor=owner, organisation=organisation, data=dict(data, title=title))
    return specification_publish(actor=owner, specification=spec) if publish else spec
