"""Forms of the annotation page: a reviewer's answer and a skip."""

import json

from django import forms

from annotate.models import CitedSourceType, Confidence
from annotate.queue.keys import SKIP_REASONS


class SpansField(forms.Field):
    """Evidence spans as the page's script keeps them: a JSON list in a hidden input. Only
    the shape is read here; the service checks each span against the passage and scheme."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": "The marked spans could not be read; mark them again."}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value or [])

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        try:
            spans = json.loads(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not isinstance(spans, list):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return spans


class SchemeAnswerForm(forms.Form):
    """What a passage is, who it cites and which bias markers it shows; choices come from the
    campaign's scheme. Shared by the reviewer's annotation and the curator's decision."""

    label = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a passage type.",
            "invalid_choice": "“%(value)s” is not a label of this campaign's scheme.",
        },
    )
    cited_source = forms.CharField(max_length=300, required=False, label="Who is cited")
    cited_type = forms.ChoiceField(
        choices=CitedSourceType.choices, required=False, label="Type of source"
    )
    markers = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Bias markers",
        error_messages={
            "invalid_choice": "“%(value)s” is not a bias marker of this campaign's scheme."
        },
    )
    spans = SpansField()

    def __init__(self, *args, labels, markers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [(label.value, label.name) for label in labels]
        self.fields["markers"].choices = [(m.value, m.name) for m in markers]

    def clean(self):
        data = super().clean()
        if data.get("cited_source") and not data.get("cited_type"):
            self.add_error("cited_type", "Say what kind of source is cited.")
        return data


class AnnotationForm(SchemeAnswerForm):
    """The reviewer's answer for one passage."""

    confidence = forms.ChoiceField(
        choices=Confidence.choices, widget=forms.RadioSelect, initial=Confidence.MEDIUM
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class SkipForm(forms.Form):
    """Why a reviewer passes on a passage: one of a short list of reasons (each with a key on
    the page), or "other" with their own words; a detail may follow a listed reason."""

    OTHER = "other"

    choice = forms.ChoiceField(
        choices=[(str(i), r) for i, r in enumerate(SKIP_REASONS, 1)] + [(OTHER, "Other")],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(max_length=500, required=False)

    def clean(self):
        data = super().clean()
        choice, detail = data.get("choice"), (data.get("reason") or "").strip()
        if choice and choice != self.OTHER:
            listed = SKIP_REASONS[int(choice) - 1]
            data["reason"] = f"{listed}: {detail}" if detail else listed
        elif not detail:
            raise forms.ValidationError("Say why you skip this passage.")
        else:
            data["reason"] = detail
        return data
