"""Who may do what with user accounts."""

import rules


@rules.predicate
def is_self(user, account) -> bool:
    return account is not None and getattr(user, "is_authenticated", False) and user.pk == account.pk


rules.add_perm("accounts.change_user", is_self)  # the profile: only its owner
