"""The Youthpass pages' shortcuts write what the templates wrote (issue 14 point 5): `{% youthpass_fields %}`
against `{% include "youthpass/_fields.html" %}` for every Youthpass form (unbound, bound with errors, with hidden
and conflict fields), the country select against django-countries' own widget through the templates, the help panel
against its template rendered afresh, and the project list, a project and its list of individuals against the same
pages with every shortcut switched off — in Latvian and English."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.template import Context, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from django_countries.widgets import LazySelect

from agnitio.core import renderers, versioning
from agnitio.core.testing import per_answer_masked
from agnitio.youthpass import forms, services
from agnitio.youthpass.help import STEPS
from agnitio.youthpass.templatetags import youthpass_fields, youthpass_help, youthpass_tabs

pytestmark = pytest.mark.django_db

LANGUAGES = ["lv", "en"]
HOSTILE = '<script>alert("x")</script> & “Ā”'


@pytest.fixture
def activity(owner, project):
    return services.activity_create(
        actor=owner, project=project, activity_type="training_course", title=f"Kurss {HOSTILE}",
        start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
        venue_country="LV")


def _forms(project, signatories=None):
    """Every Youthpass form the pages show through _fields.html, unbound and bound with bad and hostile data."""
    hostile = {"name": HOSTILE, "country": "<b>", "email": HOSTILE, "full_name": HOSTILE, "title": HOSTILE,
               "action": "nope", "personal_message": HOSTILE, "goal_text": "", "note_text": HOSTILE,
               "written_on": "31.02.2026", "send_on": "x", "subject": "", "body": HOSTILE, "grant_number": HOSTILE}
    made = []
    for data in (None, {}, hostile):
        made += [
            forms.ProjectStartForm(data), forms.ProjectForm(data, instance=project), forms.PartnerForm(data),
            forms.EditorInviteForm(data), forms.ActivityForm(data, project=project),
            forms.ParticipantForm(data, project=project), forms.BulkForm(data),
            forms.OrganiserRemindersForm(data, instance=project), forms.SupervisorInviteForm(data),
            forms.SupervisorAssessmentForm(data), forms.LearningGoalForm(data), forms.ReflectionNoteForm(data),
            forms.ImportUploadForm(data),
        ]
    for form in made:
        if form.is_bound:
            form.is_valid()
    with_version = forms.ProjectForm(instance=project)
    versioning.add_version_field(with_version, project)  # a hidden field
    non_field = forms.PartnerForm({"name": "x", "country": "LV"})
    non_field.is_valid()
    non_field.add_error(None, HOSTILE)
    conflict = forms.PartnerForm()
    conflict.conflict = {"changed_by": HOSTILE, "differences": [{"label": "a", "yours": "1", "theirs": "2"}]}
    return [*made, with_version, non_field, conflict]


@pytest.mark.parametrize("language", LANGUAGES)
def test_fields_tag_writes_what_the_include_writes(project, activity, language, rf):
    include = engines["django"].from_string('{% include "youthpass/_fields.html" %}')
    tag = engines["django"].from_string("{% load youthpass_fields %}{% youthpass_fields form %}")
    request = rf.get("/")
    with translation.override(language):
        for form in _forms(project):
            expected = include.render({"form": form}, request)
            assert tag.render({"form": form}, request) == expected, type(form).__name__
    assert youthpass_fields.fields_html(_forms(project)[-1]) is None  # a conflict: the template writes it


@pytest.mark.parametrize("language", LANGUAGES)
def test_kept_fields_are_what_the_include_writes(project, language, rf, settings):
    """The forms kept per process: written from the cache, in each language and with each value shown, what the
    include writes afresh; a bound form, one with a prefix and a changed setting are not answered from it."""
    include = engines["django"].from_string('{% include "youthpass/_fields.html" %}')
    tag = engines["django"].from_string("{% load youthpass_fields %}{% youthpass_fields form %}")
    request = rf.get("/")
    youthpass_fields._SHOWN.clear()
    switches = [{"remind_before_start": a, "remind_at_end": b, "remind_after_end": c}
                for a in (True, False) for b in (True, False) for c in (True, False)]
    with translation.override(language):
        for _twice in range(2):  # the second time from the cache
            for values in switches:
                for name, value in values.items():
                    setattr(project, name, value)
                form = forms.OrganiserRemindersForm(instance=project)
                assert youthpass_fields.memo_key(form) is not None
                assert tag.render({"form": form}, request) == include.render({"form": form}, request), values
            form = forms.PartnerForm()
            assert tag.render({"form": form}, request) == include.render({"form": form}, request)
        assert len(youthpass_fields._SHOWN) == len(switches) + 1
        for form in (forms.PartnerForm({"name": HOSTILE, "country": "<b>"}), forms.PartnerForm(prefix="p"),
                     forms.PartnerForm(initial={"name": HOSTILE}), forms.PartnerForm(initial={"name": ["x"]})):
            form.is_bound and form.is_valid()
            expected = include.render({"form": form}, request)
            if youthpass_fields.memo_key(form) is None:
                assert form.is_bound or form.prefix or form.initial == {"name": ["x"]}
            assert tag.render({"form": form}, request) == expected
        assert HOSTILE not in tag.render({"form": forms.PartnerForm(initial={"name": HOSTILE})}, request)
    settings.COUNTRIES_FIRST = ["LV"]
    assert youthpass_fields._SHOWN == {}
    with translation.override(language):
        form = forms.PartnerForm()
        assert tag.render({"form": form}, request) == include.render({"form": form}, request)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("data", [None, {"name": "x", "country": "LV"}, {"name": "", "country": "<x>"},
                                  {"name": "x", "country": "EE"}])
def test_country_select_writes_what_django_countries_select_writes(data, language, settings):
    class Plain(forms.PartnerForm):  # django-countries' own widget (LazySelect), through the templates
        country = LazyTypedChoiceField(label=forms.PartnerForm.base_fields["country"].label,
                                       choices=lambda: list(countries))

    assert type(Plain.base_fields["country"].widget) is LazySelect
    for first in ([], ["LV", "EE"]):
        settings.COUNTRIES_FIRST = first
        settings.COUNTRIES_FIRST_BREAK = "———" if first else None
        with translation.override(language):
            fast = forms.PartnerForm(data, renderer=renderers.FormRenderer())
            slow = Plain(data, renderer=DjangoTemplates())
            initial = forms.PartnerForm(initial={"country": "LT"}, renderer=renderers.FormRenderer())
            initial_slow = Plain(initial={"country": "LT"}, renderer=DjangoTemplates())
            for a, b in ((fast, slow), (initial, initial_slow)):
                if a.is_bound:
                    a.is_valid(), b.is_valid()
                assert str(a["country"]) == str(b["country"])
                assert str(a["country"]) == str(a["country"])  # again, from the cache
                assert (a["country"].build_widget_attrs({}) == b["country"].build_widget_attrs({}))
    assert ' selected>' in str(initial["country"])


def test_options_once_select_only_for_plain_strings(settings):
    from django import forms as django_forms
    from django.utils.safestring import mark_safe

    class Odd(django_forms.Form):
        plain = django_forms.ChoiceField(choices=[("a", "Ā & <b>"), ("a", "again"), ('"q"', "q"), ("", "—")],
                                         widget=renderers.OptionsOnceSelect)
        safe = django_forms.ChoiceField(choices=[("a", mark_safe("<i>safe</i>")), ("b", "<i>not</i>")],
                                        widget=renderers.OptionsOnceSelect)
        numbers = django_forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int,
                                                widget=renderers.OptionsOnceSelect)
        grouped = django_forms.ChoiceField(choices=[("G", [("x", "X")]), ("z", "Z")],
                                           widget=renderers.OptionsOnceSelect)

    class Same(django_forms.Form):
        plain = django_forms.ChoiceField(choices=[("a", "Ā & <b>"), ("a", "again"), ('"q"', "q"), ("", "—")])
        safe = django_forms.ChoiceField(choices=[("a", mark_safe("<i>safe</i>")), ("b", "<i>not</i>")])
        numbers = django_forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
        grouped = django_forms.ChoiceField(choices=[("G", [("x", "X")]), ("z", "Z")])

    for data in (None, {"plain": "a", "safe": "a", "numbers": "2", "grouped": "x"}, {"plain": '"q"'}):
        for name in Odd.base_fields:
            assert str(Odd(data)[name]) == str(Same(data, renderer=DjangoTemplates())[name]), (data, name)
    assert "<i>safe</i>" in str(Odd()["safe"]) and "&lt;i&gt;not" in str(Odd()["safe"])
    assert str(Odd({"plain": "a"})["plain"]).count("selected") == 1  # the first of two equal values


def _fresh_panel(step):
    context = Context({})
    context.template = engines["django"].engine.from_string("")
    return engines["django"].engine.get_template("youthpass/_help.html").render(
        context.new(youthpass_help.help_context(step)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_panel_is_its_template_rendered_afresh(language, rf):
    tag = engines["django"].from_string('{% load youthpass_help %}{% youthpass_help step %}')
    with translation.override(language):
        for step in STEPS:
            for _again in range(2):
                assert tag.render({"step": step}, rf.get("/")) == _fresh_panel(step)
        assert reverse("help:youthpass_organisers") in tag.render({"step": "project"})
    set_script_prefix("/prefix/")
    try:
        with translation.override(language):
            moved = tag.render({"step": "project"})
            assert moved == _fresh_panel("project") and "/prefix/" in moved
    finally:
        set_script_prefix("/")
    with pytest.raises(KeyError):
        tag.render({"step": "no such step"})


# --- the pages, with and without the shortcuts ------------------------------------------------------------------

@pytest.fixture
def plain_paths(monkeypatch):
    """Switch every shortcut off: the include, the template-rendered select, the panel rendered each time."""
    def off():
        from agnitio.youthpass import selectors

        monkeypatch.setattr(youthpass_fields, "fields_html", lambda form: None)
        monkeypatch.setattr(youthpass_fields, "_SHOWN", _Forgetful())
        monkeypatch.setattr(youthpass_tabs, "tabs_html", lambda context: None)
        monkeypatch.setattr(renderers.OptionsOnceSelect, "render", renderers.Select.render)
        monkeypatch.setattr(youthpass_help, "_PANELS", _Forgetful())
        monkeypatch.setattr(selectors, "_prepared_for", lambda actor: False)
        monkeypatch.setattr(selectors, "_read_for_page", lambda project: False)
    return off


class _Forgetful(dict):
    def __setitem__(self, key, value):
        pass


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_are_what_the_plain_paths_write(client, owner, project, activity, plain_paths, language):
    services.project_partner_add(actor=owner, project=project, name=HOSTILE, country="EE")
    for i in range(3):
        services.participant_create(actor=owner, project=project, activities=[activity], first_name=f"Anna{i}",
                                    last_name=HOSTILE, email=f"anna{i}@example.org" if i else "", country="LV",
                                    language="lv")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(owner)
    paths = [reverse("youthpass:project_list"), reverse("youthpass:project_detail", args=[project.public_id]),
             reverse("youthpass:participant_list", args=[project.public_id]),
             reverse("youthpass:participant_list", args=[project.public_id]) + "?size=2&q=Anna"]
    fast = {path: client.get(path) for path in paths}
    plain_paths()
    for path in paths:
        plain = client.get(path)
        assert fast[path].status_code == plain.status_code == 200
        assert per_answer_masked(fast[path].content) == per_answer_masked(plain.content), path
    assert HOSTILE not in per_answer_masked(fast[paths[1]].content)


def _rows_as_before(project, page, activities) -> str:
    """views.participants._rows as it was before its cells were made once a page (each cell escaped per row)."""
    from agnitio.core.rows import html, html_join
    from agnitio.youthpass import selectors
    from agnitio.youthpass.choices import participant_role_label
    from agnitio.youthpass.models import Participant
    from agnitio.youthpass.views.participants import _ROW_ID

    row_format = ('<tr><td><input type="checkbox" name="selected" value="{0}" id="sel-{0}" aria-label="{8}"></td>'
                  '<td><a href="{1}">{2}</a></td><td>{3}</td><td>{4}</td><td>{5}</td>'
                  '<td><span class="badge status-{6}">{7}</span></td></tr>')

    titles = {a.pk: a.title for a in activities}
    order = {a.pk: position for position, a in enumerate(activities)}
    of_person = selectors.participant_activity_ids(participants=page.items)
    statuses = {value: str(label) for value, label in Participant.Status.choices}
    roles = dict(Participant.role_choices(project.project_type))
    kinds = {a.pk: a.activity_type for a in activities}
    link = reverse("youthpass:participant_detail", args=[project.public_id, _ROW_ID])
    on_behalf = reverse("youthpass:outcomes_on_behalf", args=[project.public_id, _ROW_ID])
    no_email = translation.gettext("no e-mail, so no invitation: write the outcomes on their behalf")
    choose = translation.gettext("Choose %(name)s")

    def email_cell(p):
        if p.email or p.outcomes_locked:
            return p.email or "—"
        return html('— <a class="muted" href="{}">{}</a>', on_behalf.replace(_ROW_ID, p.public_id), no_email)

    return html_join("\n", row_format, (
        (p.public_id, link.replace(_ROW_ID, p.public_id), f"{p.last_name}, {p.first_name}", email_cell(p),
         participant_role_label(p.role, roles.get(p.role, p.role), project.project_type,
                                [kinds[a] for a in of_person.get(p.pk, ()) if a in kinds]),
         "; ".join(titles[a] for a in sorted((a for a in of_person.get(p.pk, ()) if a in order),
                                             key=order.__getitem__)),
         p.status, statuses.get(p.status, p.status), choose % {"name": f"{p.first_name} {p.last_name}"})
        for p in page.items))


@pytest.mark.parametrize("language", LANGUAGES)
def test_participant_rows_are_what_they_were(owner, organisation, language):
    from agnitio.core.pagination import keyset_page
    from agnitio.youthpass import selectors
    from agnitio.youthpass.models import Participant
    from agnitio.youthpass.views.participants import _rows

    project = services.project_create(
        actor=owner, organisation=organisation, grant_number="2020-1-LV02-ESC21-TRA-000000001",
        programme="esc", project_type="traineeship_job")
    made = [services.activity_create(actor=owner, project=project, activity_type=kind, title=f"{kind} {HOSTILE}",
                                     start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10),
                                     venue_city="Cēsis", venue_country="LV")
            for kind in ("traineeship", "job")]
    for i in range(6):
        chosen = [made[0]] if i % 3 == 0 else [made[1]] if i % 3 == 1 else made
        person = services.participant_create(
            actor=owner, project=project, activities=chosen if i != 5 else [], first_name=f"Anna{i} {HOSTILE}",
            last_name="Bērziņa", email="" if i % 2 else f"a{i}@example.org", country="LV", language="lv",
            role="team_member" if i == 4 else "participant")
        if i == 3:
            Participant.objects.filter(pk=person.pk).update(status=Participant.Status.OUTCOMES_SUBMITTED,
                                                            outcomes_submitted_at=datetime.datetime(
                                                                2026, 5, 11, tzinfo=datetime.UTC))
    project = selectors.project_get(actor=owner, public_id=project.public_id)
    activities = selectors.project_activities(actor=owner, project=project)
    with translation.override(language):
        page = keyset_page(selectors.participant_list(actor=owner, project=project).only(
            *selectors.PARTICIPANT_ROW_FIELDS).prefetch_related(None), ordering=selectors.PARTICIPANT_ORDER)
        assert _rows(project, page, activities) == _rows_as_before(project, page, activities)
        assert HOSTILE not in _rows(project, page, activities)


@pytest.mark.parametrize("language", LANGUAGES)
def test_tabs_tag_writes_what_the_include_writes(owner, project, language, rf):
    include = engines["django"].from_string('{% include "youthpass/_tabs.html" %}')
    tag = engines["django"].from_string("{% load youthpass_tabs %}{% youthpass_tabs %}")
    request = rf.get("/")
    untitled = services.project_create(actor=owner, organisation=project.organisation,
                                       grant_number="2026-1-LV02-KA152-YOU-000000777", programme="erasmus_youth",
                                       project_type="youth_exchange")
    project.title = HOSTILE
    with translation.override(language):
        for shown in (project, untitled):
            for tab in ("overview", "participants", "editors", "reminders", "finalise", "", None, "other"):
                context = {"project": shown, "tab": tab}
                assert tag.render(context, request) == include.render(context, request), (shown, tab)
        assert HOSTILE not in tag.render({"project": project, "tab": "overview"}, request)
        assert youthpass_tabs.tabs_html(Context({"tab": "overview"})) is None
        for template in (tag, include):  # without a project: the template's own error
            with pytest.raises(NoReverseMatch):
                template.render({"tab": "overview"}, request)
