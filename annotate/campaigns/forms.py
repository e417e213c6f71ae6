"""Forms of the campaign management page."""

from django import forms

from annotate.models import Campaign, Membership
from annotate.models.campaigns import MAX_OVERLAP

# A post that leaves these out (an older form, a script) keeps the campaign's values.
KEPT_WHEN_OMITTED = ("queue_order", "queue_block", "queue_seed")


class CampaignSettingsForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "guidelines",
            "overlap",
            "status",
            "blind_outlet",
            "auto_accept_unanimous",
            "attribution_suggestions",
            "queue_order",
            "queue_block",
            "queue_seed",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in KEPT_WHEN_OMITTED:
            self.fields[name].required = False

    def clean_overlap(self):
        overlap = self.cleaned_data["overlap"]
        # Every passage gets `overlap` places in the same request: the field's own limit
        # (32,767) would write millions of rows and time out instead of answering.
        if overlap is not None and overlap > MAX_OVERLAP:
            raise forms.ValidationError(f"At most {MAX_OVERLAP} reviewers per passage.")
        return overlap

    def clean(self):
        cleaned = super().clean()
        for name in KEPT_WHEN_OMITTED:
            if cleaned.get(name) not in self.fields[name].empty_values:
                continue
            if self.fields[name].widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            ):
                cleaned[name] = getattr(self.instance, name)
            elif name not in self.errors:
                self.add_error(name, forms.ValidationError("This field is required."))
        return cleaned


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Membership.Role.choices)
