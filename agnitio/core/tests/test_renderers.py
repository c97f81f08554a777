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
