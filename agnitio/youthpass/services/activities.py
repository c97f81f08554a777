"""Writes for the activities of a Youthpass project."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.services import audit_record, model_update

from ..choices import activity_types_for
from ..models import Activity, Project
from ._common import check_dates, require_edit, validation_message

ACTIVITY_FIELDS = ["activity_type", "title", "description", "start_date", "end_date", "format", "venue_city",
                   "venue_country", "methods", "results"]


# --- activities ------------------------------------------------------------------------------------------------

def _check_activity(project: Project, data: dict) -> None:
    if data.get("activity_type") and data["activity_type"] not in activity_types_for(project.project_type):
        raise ApplicationError(_("This type of activity does not belong to the project's type. Choose one from "
                                 "the list."), code="activity_type")
    check_dates(data.get("start_date"), data.get("end_date"))


@transaction.atomic
def activity_create(*, actor, project: Project, **data) -> Activity:
    project = require_edit(actor, project)
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_activity(project, data)
    activity = Activity(organisation=project.organisation, project=project, **data)
    try:
        activity.full_clean(exclude=["organisation", "project"])
    except ValidationError as error:
        raise ApplicationError(validation_message(error)) from error
    activity.save()
    audit_record(actor=actor, action="create", target=activity, organisation=project.organisation)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict) -> dict:
    require_edit(actor, activity.project)
    merged = {f: data.get(f, getattr(activity, f)) for f in ("activity_type", "start_date", "end_date")}
    _check_activity(activity.project, merged)
    try:
        changes = model_update(instance=activity, fields=ACTIVITY_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(validation_message(error)) from error
    if changes:
        audit_record(actor=actor, action="update", target=activity, organisation=activity.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    require_edit(actor, activity.project)
    audit_record(actor=actor, action="delete", target=activity, organisation=activity.organisation)
    activity.delete()
