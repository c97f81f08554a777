"""View helpers shared by the apps' HTML views."""

import functools

from django.http import Http404

from .errors import NotFound


def not_found_as_404(view):
    """Turn a selector's NotFound ("not found" and "not allowed" alike) into the 404 page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error

    return wrapper
