"""Forms of the campaign management page."""

from django import forms

from annotate.models import Campaign, Membership
from annotate.models.campaigns import MAX_OVERLAP


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
        ]

    def clean_overlap(self):
        overlap = self.cleaned_data["overlap"]
        # Every passage gets `overlap` places in the same request: the field's own limit
        # (32,767) would write millions of rows and time out instead of answering.
        if overlap is not None and overlap > MAX_OVERLAP:
            raise forms.ValidationError(f"At most {MAX_OVERLAP} reviewers per passage.")
        return overlap


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Membership.Role.choices)
