"""The API tokens table."""

import django_tables2 as tables

from annotate.models import ApiToken


class TokenTable(tables.Table):
    name = tables.Column()
    prefix = tables.Column(verbose_name="Starts with")
    created_at = tables.DateTimeColumn(verbose_name="Made", format="j M Y H:i")
    last_used_at = tables.DateTimeColumn(verbose_name="Last used", format="j M Y H:i")
    state = tables.TemplateColumn(
        template_name="annotate/api/_token_state.html",
        verbose_name="",
        orderable=False,
        accessor="pk",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "created_at", "last_used_at"]
        orderable = False
        empty_text = "No tokens yet."
