"""Learner feedback (Annex II, principles 1 and 8). After a micro-credential is issued the learner is invited —
an e-mail through the notifications outbox and a notice on their micro-credentials page — to rate the learning
experience 1–5 and comment. One feedback per award, changeable by the learner for FEEDBACK_EDIT_DAYS after they
first gave it, then fixed. The learner is the holder: an account whose confirmed e-mail is the award's learner
e-mail (the same identity the wallet uses). Providers see aggregates per micro-credential (every version of it)
and the recent comments without names unless the learner chose to show theirs; the public catalogue shows the
aggregate only from PUBLIC_MIN_COUNT ratings on, so one person's rating cannot be told from it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.services import audit_record

from ..models import Award, Feedback
from ..selectors import learner_award_get

FEEDBACK_EDIT_DAYS = 30
COMMENT_MAX = 1000
PUBLIC_MIN_COUNT = 5
INVITE_TEMPLATE = "microcredentials/email/feedback_invite"


def feedback_url(award: Award) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("microcredentials:feedback_give", args=[award.public_id])


def feedback_invite(*, award: Award):
    """Queue the invitation to the learner (sent after the commit that issued the award)."""
    from agnitio.notifications.services import email_queue

    language = award.languages.split("+")[0]
    return email_queue(to=award.learner_email, template=INVITE_TEMPLATE, language=language,
                       organisation=award.organisation, related=award,
                       context={"title": award.specification.title, "provider": award.organisation.legal_name,
                                "url": feedback_url(award), "days": FEEDBACK_EDIT_DAYS,
                                "first_name": (award.learner_name or "").split(" ")[0]})


def feedback_give(*, actor, award_public_id: str, rating: int, comment: str = "", show_name: bool = False,
                  now: datetime.datetime | None = None) -> Feedback:
    """The learner's feedback on one of their awards, new or changed while it may still change."""
    award = learner_award_get(actor=actor, public_id=award_public_id)  # 404 for anyone but the learner
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ApplicationError(_("Choose a rating from 1 to 5."), code="rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(_("The comment is too long (at most %(n)d characters).") % {"n": COMMENT_MAX},
                               code="comment")
    now = now or timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(award=award).first()
        if feedback is None:
            feedback = Feedback.objects.create(
                organisation=award.organisation, specification=award.specification, award=award, user=actor,
                rating=rating, comment=comment, show_name=bool(show_name),
                editable_until=now + datetime.timedelta(days=FEEDBACK_EDIT_DAYS))
            audit_record(actor=actor, action="create", target=feedback, organisation=award.organisation,
                         verb="micro-credential feedback given", changes={"rating": [None, rating]})
            return feedback
        if now > feedback.editable_until:
            raise ApplicationError(_("Your feedback can no longer be changed (it could be until %(date)s).")
                                   % {"date": feedback.editable_until.date().isoformat()}, code="closed")
        changes = {k: [getattr(feedback, k), v] for k, v in
                   (("rating", rating), ("comment", comment), ("show_name", bool(show_name)))
                   if getattr(feedback, k) != v}
        feedback.rating, feedback.comment, feedback.show_name = rating, comment, bool(show_name)
        feedback.save(update_fields=["rating", "comment", "show_name", "updated_at"])
        audit_record(actor=actor, action="update", target=feedback, organisation=award.organisation,
                     verb="micro-credential feedback changed", changes=changes)
    return feedback
