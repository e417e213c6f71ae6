from django import forms

from annotate.queue.forms import SchemeAnswerForm


class AdjudicationForm(SchemeAnswerForm):
    """A curator's final answer for one passage."""

    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        # CharField strips white space first, so a rationale of blanks is "required" too.
        error_messages={"required": "Write a short rationale: why this is the final answer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = self.fields["label"]
        label.label = "Final passage type"
        label.error_messages["required"] = "Choose the final passage type."


class BulkAcceptForm(forms.Form):
    passage = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Select the passages whose majority you accept."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is a valid choice here; the service checks it belongs to the campaign.
        # Within the id column's range: SQLite cannot even compare a larger integer.
        self.fields["passage"].valid_value = lambda value: (
            str(value).isdecimal() and int(value) < 2**63
        )
