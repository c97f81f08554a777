"""One rule for finding a person by e-mail address, for every app (credentials' wallet, data export and erasure,
invitations, Europass host and participant access, micro-credential learners, Youthpass participants).

* An address is compared **normalised**: trimmed and lower-cased (`email_normalise`), as allauth stores its
  `EmailAddress` rows. `Anna@Example.lv` and `anna@example.lv` are the same person.
* A person is known by their **confirmed** addresses only (`verified_emails`): anyone can add an unconfirmed
  address to their account and must not reach another person's documents or mail through it.
* Columns the platform writes itself through `email_normalise` (a credential's holder, a participant's or
  learner's e-mail, an invitation's address, a document access) are matched with `email_q`: a plain `IN`, so an
  index on the column serves it (the wallet at 10,000 documents). Columns that keep an address as somebody typed it
  (a Europass document's mentor e-mail, printed on the document; an account's e-mail, editable in the admin) are
  matched with `email_q_any_case`: `LOWER(column) IN (...)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Q
from django.db.models.functions import Lower

# `<field>__lower`: the lower-cased column, for `email_q_any_case` (EmailField is a CharField).
CharField.register_lookup(Lower)


def email_normalise(email: str | None) -> str:
    """The form every address is stored and compared in: trimmed, lower case ("" for none)."""
    return (email or "").strip().lower()


def emails_normalise(emails: Iterable[str | None]) -> set[str]:
    """The non-empty addresses of `emails`, normalised."""
    return {e for e in (email_normalise(e) for e in emails) if e}


def verified_emails(user) -> set[str]:
    """The person's confirmed addresses (allauth `EmailAddress` rows with `verified`), normalised; an empty set for
    an anonymous visitor."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return set()
    return emails_normalise(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))


def email_q(field: str, emails: Iterable[str | None]) -> Q:
    """`field` — a column written through `email_normalise` — is one of `emails` (compared normalised). Matches
    nothing when `emails` holds no address."""
    wanted = emails_normalise(emails)
    return Q(**{f"{field}__in": sorted(wanted)}) if wanted else Q(pk__in=[])


def email_q_any_case(field: str, emails: Iterable[str | None]) -> Q:
    """`field` — a column that keeps an address as it was typed — is one of `emails`, whatever the case of either.
    Matches nothing when `emails` holds no address."""
    wanted = emails_normalise(emails)
    return Q(**{f"{field}__lower__in": sorted(wanted)}) if wanted else Q(pk__in=[])
