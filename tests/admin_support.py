"""Helpers for tests that post the Django admin's change forms."""


def admin_post_data(response):
    """The admin change form's data exactly as the page shows it, inlines included, so a
    test can change one field and post the rest back unchanged."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data
