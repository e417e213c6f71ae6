from django import forms

from annotate.models import CitedSourceType


class AdjudicationForm(forms.Form):
    """A curator's final answer for one passage; choices come from the campaign's scheme."""

    label = forms.ChoiceField(widget=forms.RadioSelect, label="Final passage type", error_messages={
        "required": "Choose the final passage type.",
        "invalid_choice": "“%(value)s” is not a label of this campaign's scheme.",
    })
    cited_source = forms.CharField(max_length=300, required=False, label="Who is cited")
    cited_type = forms.ChoiceField(choices=CitedSourceType.choices, required=False, label="Type of source")
    markers = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Bias markers",
        error_messages={"invalid_choice": "“%(value)s” is not a bias marker of this campaign's scheme."},
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Write a short rationale: why this is the final answer."},
    )

    def __init__(self, *args, labels, markers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [(label.value, label.name) for label in labels]
        self.fields["markers"].choices = [(m.value, m.name) for m in markers]

    def clean_rationale(self):
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Write a short rationale: why this is the final answer.")
        return rationale

    def clean(self):
        data = super().clean()
        if data.get("cited_source") and not data.get("cited_type"):
            self.add_error("cited_type", "Say what kind of source is cited.")
        return data


class BulkAcceptForm(forms.Form):
    passage = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Select the passages whose majority you accept."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is a valid choice here; the service checks it belongs to the campaign.
        # Within the id column's range: SQLite cannot even compare a larger integer.
        self.fields["passage"].valid_value = lambda value: str(value).isdecimal() and int(value) < 2**63
