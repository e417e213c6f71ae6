"""URLs of the claims pages, kept apart so each feature owns its routes (joined in annotate.urls)."""

from django.urls import path

from annotate import claim_views

urlpatterns = [
    path("c/<slug:slug>/claims/", claim_views.claim_list, name="claims"),
    path("c/<slug:slug>/claims/new/", claim_views.claim_create, name="claim_create"),
    path("c/<slug:slug>/claims/claims.csv", claim_views.claims_csv, name="claims_csv"),
    path("c/<slug:slug>/claims/<int:pk>/", claim_views.claim_detail, name="claim"),
    path("c/<slug:slug>/claims/<int:pk>/edit/", claim_views.claim_update, name="claim_update"),
    path("c/<slug:slug>/claims/<int:pk>/delete/", claim_views.claim_delete, name="claim_delete"),
    path("c/<slug:slug>/claims/<int:pk>/link/", claim_views.claim_link, name="claim_link"),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/edit/",
        claim_views.claim_link_edit,
        name="claim_link_edit",
    ),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/remove/",
        claim_views.claim_link_remove,
        name="claim_link_remove",
    ),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/decide/",
        claim_views.claim_link_decide,
        name="claim_link_decide",
    ),
    path("c/<slug:slug>/claims/suggestions/", claim_views.suggestions, name="claim_suggestions"),
    path(
        "c/<slug:slug>/claims/suggestions/refresh/",
        claim_views.suggestions_refresh,
        name="claim_suggestions_refresh",
    ),
    path(
        "c/<slug:slug>/claims/suggestions/<int:suggestion_id>/accept/",
        claim_views.suggestion_accept,
        name="claim_suggestion_accept",
    ),
    path(
        "c/<slug:slug>/claims/suggestions/<int:suggestion_id>/reject/",
        claim_views.suggestion_reject,
        name="claim_suggestion_reject",
    ),
    path(
        "c/<slug:slug>/p/<int:pk>/propose-claim/", claim_views.claim_propose, name="claim_propose"
    ),
]
