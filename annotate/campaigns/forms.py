"""Forms of the campaign pages: management, a new campaign and picking its documents."""

from django import forms

from annotate.campaigns import setup_selectors
from annotate.campaigns.setup_selectors import SEARCH_MAX
from annotate.models import Campaign, Membership
from annotate.models.campaigns import MAX_OVERLAP, QUEUE_SEEDS

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


class NewCampaignForm(forms.ModelForm):
    """The New campaign page: what a campaign is set up with (its documents and members come
    next, on its manage pages). The slug is made from the name by setup.create_campaign."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "scheme",
            "guidelines",
            "overlap",
            "blind_outlet",
            "auto_accept_unanimous",
            "queue_order",
            "queue_block",
            "queue_seed",
        ]
        labels = {
            "scheme": "Label scheme",
            "overlap": "Reviewers per passage",
            "blind_outlet": "Hide outlets from reviewers",
            "auto_accept_unanimous": "Accept unanimous labels",
        }

    def __init__(self, *args, schemes, default_scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = self.fields["scheme"]
        scheme.queryset = schemes
        # No scheme chosen (none exists yet): create_campaign makes the default one.
        scheme.required = False
        scheme.empty_label = None if default_scheme is not None else "The default scheme"
        if default_scheme is not None:
            scheme.initial = default_scheme.pk
        seed = self.fields["queue_seed"]
        seed.required = False
        seed.initial = None
        seed.show_hidden_initial = False
        seed.help_text = "Leave empty for a random seed; give one to repeat an earlier queue."
        self.fields["guidelines"].widget.attrs["rows"] = 8

    def clean_overlap(self):
        overlap = self.cleaned_data["overlap"]
        if overlap is not None and overlap > MAX_OVERLAP:
            raise forms.ValidationError(f"At most {MAX_OVERLAP} reviewers per passage.")
        return overlap

    def clean_queue_seed(self):
        seed = self.cleaned_data.get("queue_seed")
        if seed is not None and seed >= QUEUE_SEEDS:
            raise forms.ValidationError(f"A seed from 0 to {QUEUE_SEEDS - 1:,}.")
        return seed

    def settings(self):
        """The cleaned values, as setup.create_campaign takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentIdsField(forms.CharField):
    """Document ids separated by spaces or commas, cleaned to a list of distinct integers."""

    def to_python(self, value):
        text = super().to_python(value)
        ids = []
        for part in text.replace(",", " ").split():
            if not part.isdigit():
                raise forms.ValidationError(f"“{part[:20]}” is not a document id (a number).")
            if int(part) not in ids:
                ids.append(int(part))
        return ids


class DocumentPickForm(forms.Form):
    """Which documents to add: every criterion given narrows the pick (see
    setup_selectors.pick_documents); at least one is needed."""

    outlets = forms.MultipleChoiceField(
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (⌘ on a Mac) to choose several.",
    )
    date_from = forms.DateField(
        label="Published from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="Published until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Articles with no publication date are left out once a date is given.",
    )
    search = forms.CharField(
        label="Title or text contains",
        required=False,
        max_length=SEARCH_MAX,
    )
    ids = DocumentIdsField(
        label="Document ids",
        required=False,
        help_text="Separated by spaces or commas.",
    )

    def __init__(self, *args, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlets"].choices = [(name, name) for name in outlets]

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        unknown = setup_selectors.unknown_document_ids(ids) if ids else []
        if unknown:
            raise forms.ValidationError(
                f"No document with id {', '.join(str(i) for i in unknown[:20])}."
            )
        return ids

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date comes before the start date.")
        if not self.errors and not any(cleaned.get(f) for f in self.fields):
            raise forms.ValidationError(
                "Choose at least one outlet, date, search text or document id."
            )
        return cleaned

    def criteria(self):
        """The cleaned criteria, as setup_selectors.pick_documents takes them."""
        return {name: self.cleaned_data.get(name) or None for name in self.fields}
