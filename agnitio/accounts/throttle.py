"""Sign-in and sign-up throttling (issue 8 point 11, issue 14 point 4, issue 11 point 9;
docs/decisions/0010-accounts-hardening.md).

Failed password checks are counted per (account, address), per account and per address
(`AGNITIO_SIGNIN_FAILURE_LIMITS`); an attempt is refused before its password is checked when any of the three is
used up. What allauth did instead — reserve a failure on every counter before checking and take it back after a
correct password, each step under a cache lock that gives up after one second — made a class signing in at once from
one school address fail: the reservations of the others in flight counted as failures of the address, and under
contention the lock answered "too many failed attempts" to correct passwords.

- The per-address count (the one a whole school shares) is only *read* before the check and *increased* after a
  failure. A correct password never touches it, so any number of correct sign-ins may be in flight. Failures
  already in flight when the budget runs out are still checked: the overrun is at most the number of sign-ins the
  server runs at the same moment, and `AGNITIO_SIGNIN_ATTEMPTS_PER_ADDRESS` bounds all password checks (their
  hashing cost) from one address.
- The per-account and per-(account, address) counts are reserved before the check (an atomic increment) and taken
  back after a correct password: parallel guesses at one account can never exceed its budget. Only the same
  account signing in more than five times at the same moment from one address could meet that reservation.

Sign-ups (`signup_refused`, replacing allauth's "signup" limit) are counted per address
(`AGNITIO_SIGNUP_LIMITS["address"]`), except a sign-up through a personal invitation: the browser opened the
invitation's link page, the invitation is still open (not used, withdrawn or expired) and the sign-up uses the address
it was mailed to, which has no account yet. A whole group invited to a project signs up at once from one venue's
Wi-Fi; the link's token is theirs alone, so such sign-ups are bounded by the invitations sent, not by the address. Each
invitation has its own small budget of sign-up attempts (`AGNITIO_SIGNUP_LIMITS["invitation"]`): a leaked link gets at
most that, and once the account exists (or the invitation is accepted) the link exempts nothing.

Counters live in the shared cache (Redis through `CACHE_URL` in production) and use only atomic `add`/`incr`/`decr`
— no lock. Each budget is a sliding window approximated from two fixed windows (the current one, plus the previous
one weighted by how much of it still overlaps), so a guesser gains nothing at a window boundary.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import time
from dataclasses import dataclass

from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.core.cache import cache

GROUP = "agnitio.signin"
GENERATION_SECONDS = 24 * 3600  # longer than any failure window
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """"5/5m" → 5 per 300 s; "" → None (no limit)."""
        if not text:
            return None
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", text)
        if not match:
            raise ValueError(f"Not a rate: {text!r} (like '5/5m')")
        return cls(int(match[1]), int(match[2] or 1) * _UNITS[match[3]])


@dataclass(frozen=True)
class _Counter:
    kind: str
    value: str
    rate: Rate

    def _keys(self, now: float) -> tuple[str, str, float]:
        window = int(now // self.rate.seconds)
        elapsed = (now % self.rate.seconds) / self.rate.seconds
        base = f"{GROUP}:{self.kind}:{self.rate.seconds}:{self.value}"
        return f"{base}:{window}", f"{base}:{window - 1}", 1.0 - elapsed

    def used(self, current: int | None = None) -> float:
        key, previous_key, weight = self._keys(time.time())
        if current is None:
            values = cache.get_many([key, previous_key])
            current = values.get(key, 0)
        else:
            values = {previous_key: cache.get(previous_key, 0)}
        return current + values.get(previous_key, 0) * weight

    def available(self) -> bool:
        return self.used() < self.rate.amount

    def retry_after(self) -> int:
        """Seconds until one more would fit again (the weighted previous window fades, the current one ends)."""
        now = time.time()
        key, previous_key, weight = self._keys(now)
        values = cache.get_many([key, previous_key])
        current, previous = values.get(key, 0), values.get(previous_key, 0)
        left_in_window = self.rate.seconds * weight
        room = self.rate.amount - 1 - current  # what the previous window may still weigh for one more to fit
        if room >= 0 and previous:
            # previous * (weight - t / seconds) <= room
            return max(1, math.ceil(self.rate.seconds * (weight - room / previous)))
        if room >= 0:
            return 1
        # Only in the next window: current * (1 - t / seconds) <= amount - 1
        fade = self.rate.seconds * (1 - (self.rate.amount - 1) / current) if current else 0
        return max(1, math.ceil(left_in_window + fade))

    def add(self) -> int:
        key, _, _ = self._keys(time.time())
        if cache.add(key, 1, timeout=2 * self.rate.seconds + 5):  # the next window still reads it
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=2 * self.rate.seconds + 5)
            return 1

    def reserve(self) -> str | None:
        """Count one now; None (and nothing counted) when that goes over the budget, else the key to take it
        back from."""
        key, _, _ = self._keys(time.time())
        current = self.add()
        if self.used(current) > self.rate.amount:
            self.release(key)
            return None
        return key

    @staticmethod
    def release(key: str) -> None:
        with contextlib.suppress(ValueError):  # the window has expired: nothing to take back
            cache.decr(key)


def _account(email: str) -> str:
    """The account part of a key: the address as typed (case-folded), plus a generation that a password reset
    advances, so setting a new password lifts the account's lock (allauth did the same for its counter)."""
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    return f"{digest}.{cache.get(f'{GROUP}:generation:{digest}', 0)}"


def _counters(request, email: str) -> dict[str, _Counter]:
    limits = settings.AGNITIO_SIGNIN_FAILURE_LIMITS
    account, address = _account(email), get_ip(request) or "no-address"
    values = {"account_address": f"{account}@{address}", "account": account, "address": address}
    counters = {}
    for kind, value in values.items():
        rate = Rate.parse(limits.get(kind, ""))
        if rate:
            counters[kind] = _Counter(kind, value, rate)
    attempts = Rate.parse(getattr(settings, "AGNITIO_SIGNIN_ATTEMPTS_PER_ADDRESS", ""))
    if attempts:
        counters["attempts"] = _Counter("attempts", address, attempts)
    return counters


@dataclass
class SigninAttempt:
    """One password check: what it reserved, and whether it may go ahead."""

    request: object
    counters: dict[str, _Counter]
    reserved: list[str]
    allowed: bool

    def succeeded(self) -> None:
        """A correct password: take back the account's reservations (nothing else was counted)."""
        for key in self.reserved:
            _Counter.release(key)
        self.reserved = []

    def failed(self) -> None:
        """A wrong password: the account's reservations stay, and the address is charged."""
        self.reserved = []
        if "address" in self.counters:
            self.counters["address"].add()


def signin_attempt(request, *, email: str) -> SigninAttempt:
    """Before the password is checked. `allowed` is False (and nothing is kept) when the address sends more password
    checks than a server should hash for it, or a failure budget of the pair, the account or the address is used."""
    counters = _counters(request, email)
    attempt = SigninAttempt(request=request, counters=counters, reserved=[], allowed=False)
    if "attempts" in counters and counters["attempts"].reserve() is None:
        return attempt
    if "address" in counters and not counters["address"].available():
        return attempt
    for kind in ("account_address", "account"):  # the strict one first: refused there, the account is not charged
        if kind not in counters:
            continue
        key = counters[kind].reserve()
        if key is None:
            attempt.succeeded()  # give back what this attempt reserved before being refused
            return attempt
        attempt.reserved.append(key)
    attempt.allowed = True
    return attempt


def signin_failures_forget(*, email: str) -> None:
    """A password reset lifts the account's lock (its per-account and per-(account, address) counts)."""
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    key = f"{GROUP}:generation:{digest}"
    if not cache.add(key, 1, timeout=GENERATION_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=GENERATION_SECONDS)


def _rate(kind: str) -> Rate | None:
    return Rate.parse(getattr(settings, "AGNITIO_SIGNUP_LIMITS", {}).get(kind, ""))


def _has_account(email: str) -> bool:
    from allauth.account.models import EmailAddress

    from .models import User

    email = (email or "").strip()
    return User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(
        email__iexact=email).exists()


def signup_refused(request) -> int | None:
    """Before a sign-up form is handled (POST): None when it may go ahead, else the seconds until this address may
    sign up again. An invited person's sign-up (see the module's notes) is counted on their invitation only."""
    from agnitio.invitations.selectors import invitation_for_signup

    email = request.POST.get("email", "")
    invited = invitation_for_signup(session=getattr(request, "session", None), email=email)
    if invited and not _has_account(email):
        rate = _rate("invitation")
        if rate is None or _Counter("signup-invitation", invited, rate).reserve() is not None:
            return None
    rate = _rate("address")
    if rate is None:
        return None
    counter = _Counter("signup-address", get_ip(request) or "no-address", rate)
    if counter.reserve() is None:
        return counter.retry_after()
    return None
