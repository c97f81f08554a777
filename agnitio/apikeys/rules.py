"""Who may do what with personal API tokens."""

import rules


@rules.predicate
def is_token_owner(user, token) -> bool:
    return token is not None and getattr(user, "pk", None) is not None and token.user_id == user.pk


rules.add_perm("apikeys.add_token", rules.is_authenticated & rules.is_active)
rules.add_perm("apikeys.revoke_token", is_token_owner | rules.is_superuser)  # a superuser: e.g. a leaked token
