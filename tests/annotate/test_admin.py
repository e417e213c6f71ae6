"""annotate.admin: the admin shows work and history; it does not bypass the rules."""


def test_work_decisions_and_claims_are_read_only_in_the_admin(rf, db):
    # Deleting an annotation in the admin would take its revisions with it; edits to claims
    # would leave no trace. The pages' services are the only way in.
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    from annotate.models import (
        Adjudication,
        AdjudicationRevision,
        Annotation,
        AnnotationRevision,
        Claim,
        ClaimLink,
        ClaimSuggestion,
    )

    request = rf.get("/admin/")
    request.user = get_user_model().objects.create_superuser("boss", password="x")
    for model in (
        Annotation,
        AnnotationRevision,
        Adjudication,
        AdjudicationRevision,
        Claim,
        ClaimLink,
        ClaimSuggestion,
    ):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
