"""Share links stored before tokens were hashed keep working after the migration (issue 9, point 9)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from agnitio.core.tokens import token_hash
from agnitio.credentials.tests.migrating import before_migration

MIGRATION = ("credentials", "0002_share_link_token_hash")


@pytest.mark.django_db(transaction=True)
def test_links_made_before_hashing_still_open_and_lose_their_plain_token(issue, make_user):
    from agnitio.credentials import selectors
    from agnitio.credentials.models import ShareLink

    credential = issue()
    holder = make_user("holder@example.org")
    tokens = ["handed-out-before-the-upgrade-0123456789", "another-link-from-last-year-abcdefghij"]
    with before_migration(MIGRATION) as old_state:  # the schema before hashing; afterwards the latest one
        OldShareLink = old_state.get_model("credentials", "ShareLink")  # noqa: N806
        for token in tokens:
            OldShareLink.objects.create(credential_id=credential.pk, created_by_id=holder.pk, token=token,
                                        expires_at=timezone.now() + datetime.timedelta(days=30))
    assert ShareLink.objects.count() == 2
    with connection.cursor() as cursor:
        columns = {f.name for f in connection.introspection.get_table_description(cursor, ShareLink._meta.db_table)}
    assert "token" not in columns and "token_hash" in columns
    for token in tokens:
        link = selectors.share_link_open(token=token)
        assert link.token_hash == token_hash(token) and link.credential == credential
