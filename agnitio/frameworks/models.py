"""ESCO (European Skills, Competences, Qualifications and Occupations) as read-only reference data.

One row per concept and language: the English file shipped in `data/` is loaded by migration 0002; any other
language file a user downloads from the ESCO portal is added with `manage.py esco_import` (same CSV layout,
`skills_lv.csv`, `occupations_lv.csv`, ...). Other apps store concept URIs and resolve them through
`frameworks.selectors.esco_concepts_get`; they never import these models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EscoConcept(models.Model):
    class Kind(models.TextChoices):
        SKILL = "skill", _("skill")
        OCCUPATION = "occupation", _("occupation")

    uri = models.CharField(_("ESCO URI"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8)
    preferred_label = models.CharField(_("preferred label"), max_length=500)
    alt_labels = models.TextField(_("alternative labels"), blank=True, help_text=_("One per line."))
    description = models.TextField(_("description"), blank=True)
    # Skills: "skill/competence" or "knowledge"; reuse level: transversal, cross-sector, sector-specific, ...
    skill_type = models.CharField(_("skill type"), max_length=32, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=32, blank=True)
    # Occupations: the ESCO code (ISCO group + position, e.g. "2654.1.7").
    code = models.CharField(_("code"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("ESCO concept")
        verbose_name_plural = _("ESCO concepts")
        constraints = [models.UniqueConstraint(fields=["uri", "language"], name="esco_concept_uri_language")]
        indexes = [models.Index(fields=["language", "kind"], name="esco_concept_language_kind")]

    def __str__(self) -> str:
        return self.preferred_label

    @property
    def alt_label_list(self) -> list[str]:
        return [label for label in self.alt_labels.split("\n") if label]


class EscoSkillRelation(models.Model):
    """An occupation's essential or optional skill (ESCO's `occupationSkillRelations` file; the same in every
    language, so stored once by URI)."""

    class RelationType(models.TextChoices):
        ESSENTIAL = "essential", _("essential")
        OPTIONAL = "optional", _("optional")

    occupation_uri = models.CharField(_("occupation"), max_length=255)
    skill_uri = models.CharField(_("skill"), max_length=255)
    relation_type = models.CharField(_("relation"), max_length=16, choices=RelationType.choices)

    class Meta:
        verbose_name = _("ESCO occupation skill")
        verbose_name_plural = _("ESCO occupation skills")
        constraints = [models.UniqueConstraint(fields=["occupation_uri", "skill_uri"], name="esco_relation_unique")]

    def __str__(self) -> str:
        return f"{self.occupation_uri} → {self.skill_uri} ({self.relation_type})"


class EscoDataset(models.Model):
    """What was imported for one language: the search index of a language is rebuilt when `revision` changes
    (every import sets a new random one, so every process notices)."""

    language = models.CharField(_("language"), max_length=8, unique=True)
    source = models.CharField(_("source file"), max_length=255, blank=True)
    skills = models.PositiveIntegerField(_("skills"), default=0)
    occupations = models.PositiveIntegerField(_("occupations"), default=0)
    relations = models.PositiveIntegerField(_("occupation skills"), default=0)
    revision = models.CharField(_("revision"), max_length=32)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("ESCO dataset")
        verbose_name_plural = _("ESCO datasets")

    def __str__(self) -> str:
        return f"ESCO ({self.language})"
