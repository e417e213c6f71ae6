"""Forms of the annotation page: a reviewer's answer and a skip."""

from django import forms

from annotate.models import CitedSourceType, Confidence


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
    reason = forms.CharField(
        max_length=500, error_messages={"required": "Say why you skip this passage."}
    )
