"""The form of the API tokens page."""

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What will use it, e.g. “analysis notebook”.",
        error_messages={"required": "Give the token a name."},
    )
