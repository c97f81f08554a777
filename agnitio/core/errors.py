"""Errors that services raise. Messages are translatable and say how to fix the problem."""


class ApplicationError(Exception):
    """A rule of the application was broken; the message is meant for the user."""

    # The HTTP status the API answers with; None: 404 for NotFound, 403 for PermissionDenied, 400 otherwise.
    status: int | None = None

    def __init__(self, message, *, code: str = "invalid", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


class NotFound(ApplicationError):
    """The object does not exist or the actor may not see it (the same answer for both)."""

    def __init__(self, message=None, **kwargs):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Not found."), code="not_found", **kwargs)


class PermissionDenied(ApplicationError):
    """The actor may see the object but not do this to it."""

    def __init__(self, message=None, **kwargs):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("You are not allowed to do this."), code="permission_denied", **kwargs)


class Throttled(ApplicationError):
    """Too many of one action by one account in a while: 429, with `retry_after` seconds (the `Retry-After`)."""

    status = 429

    def __init__(self, message=None, *, retry_after: int = 60, **kwargs):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Too many requests. Wait a moment and try again."), code="throttled", **kwargs)
        self.retry_after = max(1, int(retry_after))
