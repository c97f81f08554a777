"""Issue 14 point 5: the form renderer writes <select> in Python — exactly what Django's templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from agnitio.core.renderers import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "Ā & <b>"), ("b", mark_safe("<i>safe</i>")), (3, 3.5)])
    grouped = forms.ChoiceField(choices=[("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Zed"), ("", "—")],
                                required=False)
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")],
                                     widget=forms.SelectMultiple(attrs={"size": 3, "data-x": 'q"uote',
                                                                        "autofocus": True, "hidden": False}))
    maybe = forms.NullBooleanField()
    country = LazyTypedChoiceField(choices=countries)
    dated = forms.ChoiceField(choices=[("d", datetime.date(2026, 11, 30)), ("n", 1234567.5)])
    model_like = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)


def _renders(form_kwargs, renderer):
    form = Everything(renderer=renderer, **form_kwargs)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["en", "lv"])
@pytest.mark.parametrize("form_kwargs", [
    {},
    {"data": {"plain": "b", "grouped": "y", "many": ["1", "3"], "maybe": "true", "country": "LV", "dated": "n",
              "model_like": "2"}},
    {"data": {"plain": "<nope>", "many": ["9"]}},  # invalid: errors, aria-invalid
    {"initial": {"plain": 3, "country": "EE", "model_like": 1}, "auto_id": "f_%s"},
])
def test_select_html_is_what_the_templates_write(form_kwargs, language, settings):
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = True  # localisation of labels shows
    with translation.override(language):
        fast = _renders(form_kwargs, FormRenderer())
        slow = _renders(form_kwargs, DjangoTemplates())
    assert fast == slow
    assert '<optgroup label="Group &lt;1&gt;">' in fast["grouped"] and "<i>safe</i>" in fast["plain"]


def test_other_widgets_and_custom_option_templates_use_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class Other(forms.Form):
        text = forms.CharField()
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        custom = forms.ChoiceField(choices=[("a", "A")], widget=Custom)

    for name in ("text", "radio", "custom"):
        assert str(Other(renderer=FormRenderer())[name]) == str(Other(renderer=DjangoTemplates())[name])


def test_it_is_the_projects_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "agnitio.core.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


class Fields(forms.Form):
    """A field of every input kind, with and without label, help text, initial value, id and fieldset."""

    required_css_class = "required"
    text = forms.CharField(label="Name & <title>", help_text="Say <b>who</b>", max_length=20)
    email = forms.EmailField(required=False, label=mark_safe("E-<i>mail</i>"))
    url = forms.URLField(required=False, label="", assume_scheme="https")
    number = forms.DecimalField(required=False, initial=1234567.5, localize=True, label="Amount?")
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "hidden": False,
                                                                 "data-x": 'q"uote', "autofocus": True}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False, initial="h<i>")
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "id": "custom-id"}), required=False)
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), required=False, label_suffix=" →")
    day = forms.DateField(required=False, initial=datetime.date(2026, 11, 30))
    moment = forms.DateTimeField(required=False, widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M"))
    hour = forms.TimeField(required=False)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="One of them",
                              required=False)
    shown_initial = forms.CharField(required=False, show_hidden_initial=True)


@pytest.mark.parametrize("language", ["en", "lv"])
@pytest.mark.parametrize("form_kwargs", [
    {},
    {"data": {"text": "Ann & <Bob>", "email": "not-an-email", "number": "1,5x", "day": "2026-02-31",
              "radio": "zzz"}},  # several invalid: error lists, aria-invalid, aria-describedby
    {"data": {"text": "x" * 30}, "auto_id": False},  # no ids: no <label> element, no help text id
    {"initial": {"text": "Initial"}, "auto_id": "f_%s", "prefix": "p"},
])
def test_field_groups_inputs_labels_and_errors_are_what_the_templates_write(form_kwargs, language, settings):
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        fast_form = Fields(renderer=FormRenderer(), **form_kwargs)
        slow_form = Fields(renderer=DjangoTemplates(), **form_kwargs)
        for name in Fields.base_fields:
            assert fast_form[name].as_field_group() == slow_form[name].as_field_group(), name
            assert str(fast_form[name]) == str(slow_form[name]), name
            assert fast_form[name].label_tag() == slow_form[name].label_tag(), name
            assert str(fast_form[name].errors) == str(slow_form[name].errors), name
        assert fast_form.as_div() == slow_form.as_div()
        assert fast_form.as_p() == slow_form.as_p()
        assert str(fast_form.non_field_errors()) == str(slow_form.non_field_errors())
    if form_kwargs.get("data"):
        assert '<ul class="errorlist"' in fast_form.as_div()


def test_the_common_pieces_skip_the_templates(monkeypatch):
    asked = []
    original = DjangoTemplates.render

    def spy(self, template_name, context, request=None):
        asked.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    form = Fields(renderer=FormRenderer(), data={"text": "Ann", "number": "x"})
    for name in ("text", "email", "number", "day"):
        form[name].as_field_group()
    assert asked == ["django/forms/errors/list/default.html"]  # only the one list with an error
