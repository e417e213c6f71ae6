"""Forms of the claim pages; every field says what went wrong in words a curator reads."""

from django import forms

from annotate.models import CitedSourceType
from corpus.models import Figure

VALUE = {
    "max_digits": 24,
    "decimal_places": 6,
    "error_messages": {
        "invalid": "Give the value as a number, e.g. 316260 or 7120000000 (no commas or words).",
        "max_digits": "That value is too large.",
        "max_decimal_places": "Give at most 6 decimal places.",
        "max_whole_digits": "That value is too large.",
    },
}


class ClaimForm(forms.Form):
    statement = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Write the claim's statement: what is asserted, in a few words.",
            "max_length": "Keep the statement under 300 characters.",
        },
    )
    kind = forms.ChoiceField(choices=[("", "—"), *Figure.Kind.choices], required=False)
    unit = forms.CharField(
        max_length=50, required=False, help_text="What is counted, e.g. weapons."
    )
    currency = forms.CharField(max_length=3, required=False, help_text="e.g. USD")
    primary_value = forms.DecimalField(
        required=False, label="Value in the primary document", **VALUE
    )
    primary_qualifier = forms.ChoiceField(
        choices=Figure.Qualifier.choices, required=False, label="Its qualifier"
    )
    primary_source = forms.CharField(
        max_length=300,
        required=False,
        label="Primary document",
        help_text="e.g. US Department of Defense report to Congress, 2022",
    )

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency and not (len(currency) == 3 and currency.isalpha()):
            raise forms.ValidationError("Give the currency as a three-letter code such as USD.")
        return currency

    def clean(self):
        data = super().clean()
        if data.get("primary_source") and data.get("primary_value") is None:
            self.add_error(
                "primary_value", "Give the value the primary document states, or leave both empty."
            )
        return data


class LinkForm(forms.Form):
    value = forms.DecimalField(required=False, **VALUE)
    qualifier = forms.ChoiceField(choices=Figure.Qualifier.choices, required=False)
    attributed = forms.BooleanField(required=False, label="The passage says who gives it")
    attributed_to = forms.CharField(max_length=300, required=False, label="Attributed to")
    cited_type = forms.ChoiceField(
        choices=CitedSourceType.choices, required=False, label="Type of source"
    )

    def clean(self):
        data = super().clean()
        if data.get("attributed_to") and not data.get("attributed"):
            data["attributed"] = True  # naming a source is attributing
        if data.get("value") is None:
            data["value_text"] = ""
        return data


class AcceptSuggestionForm(forms.Form):
    statement = forms.CharField(
        max_length=300,
        required=False,
        error_messages={
            "max_length": "Keep the statement under 300 characters.",
        },
    )
    claim = forms.IntegerField(required=False, min_value=1)


class PassagePickForm(forms.Form):
    passage = forms.IntegerField(
        min_value=1, error_messages={"required": "Pick a passage.", "invalid": "Pick a passage."}
    )


class ProposeForm(forms.Form):
    claim = forms.IntegerField(
        min_value=1, error_messages={"required": "Pick a claim.", "invalid": "Pick a claim."}
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject")],
        error_messages={
            "required": "Say accept or reject.",
            "invalid_choice": "Say accept or reject.",
        },
    )
