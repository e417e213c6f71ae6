from django.urls import path

from annotate.claims import views

urlpatterns = [
    path("c/<slug:slug>/claims/", views.claim_list, name="claims"),
    path("c/<slug:slug>/claims/new/", views.claim_create, name="claim_create"),
    path("c/<slug:slug>/claims/claims.csv", views.claims_csv, name="claims_csv"),
    path("c/<slug:slug>/claims/<int:pk>/", views.claim_detail, name="claim"),
    path("c/<slug:slug>/claims/<int:pk>/edit/", views.claim_update, name="claim_update"),
    path("c/<slug:slug>/claims/<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("c/<slug:slug>/claims/<int:pk>/link/", views.claim_link, name="claim_link"),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/edit/",
        views.claim_link_edit,
        name="claim_link_edit",
    ),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/remove/",
        views.claim_link_remove,
        name="claim_link_remove",
    ),
    path(
        "c/<slug:slug>/claims/links/<int:link_id>/decide/",
        views.claim_link_decide,
        name="claim_link_decide",
    ),
    path("c/<slug:slug>/claims/suggestions/", views.suggestions, name="claim_suggestions"),
    path(
        "c/<slug:slug>/claims/suggestions/refresh/",
        views.suggestions_refresh,
        name="claim_suggestions_refresh",
    ),
    path(
        "c/<slug:slug>/claims/suggestions/<int:suggestion_id>/accept/",
        views.suggestion_accept,
        name="claim_suggestion_accept",
    ),
    path(
        "c/<slug:slug>/claims/suggestions/<int:suggestion_id>/reject/",
        views.suggestion_reject,
        name="claim_suggestion_reject",
    ),
    path("c/<slug:slug>/p/<int:pk>/propose-claim/", views.claim_propose, name="claim_propose"),
]
