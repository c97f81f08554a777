"""Compositions made when one applied to every version of a lineage become one per version (migration 0006): every
version gets its own copy, so a published version's composition no longer changes with a new draft."""

import pytest

from agnitio.credentials.tests.migrating import before_migration

MIGRATION = ("microcredentials", "0006_composition_per_version")


@pytest.mark.django_db(transaction=True)
def test_every_version_gets_its_own_copy_of_the_lineage_composition(organisation):
    from agnitio.microcredentials.models import Composition

    with before_migration(MIGRATION) as old_state:
        OldSpecification = old_state.get_model("microcredentials", "Specification")  # noqa: N806
        OldComposition = old_state.get_model("microcredentials", "Composition")  # noqa: N806
        v1 = OldSpecification.objects.create(organisation_id=organisation.pk, title="Certificate", version=1,
                                             lineage="lineage-a", status="superseded")
        v2 = OldSpecification.objects.create(organisation_id=organisation.pk, title="Certificate", version=2,
                                             lineage="lineage-a", status="published", previous_version=v1)
        OldComposition.objects.create(organisation_id=organisation.pk, lineage="lineage-a", rule="at_least",
                                      required=2, ordered=True, parts=["p1", "p2", "p3"])
        OldComposition.objects.create(organisation_id=organisation.pk, lineage="no-such-lineage", parts=["x", "y"])
    copies = list(Composition.objects.order_by("specification__version").values_list(
        "specification_id", "lineage", "rule", "required", "ordered", "parts"))
    assert copies == [(v1.pk, "lineage-a", "at_least", 2, True, ["p1", "p2", "p3"]),
                      (v2.pk, "lineage-a", "at_least", 2, True, ["p1", "p2", "p3"])]
