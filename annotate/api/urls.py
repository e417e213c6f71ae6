from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotate.api import endpoints, views, write_endpoints

urlpatterns = [
    path("account/api-tokens/", views.tokens, name="api_tokens"),
    path("account/api-tokens/new/", views.create_token, name="api_token_create"),
    path("account/api-tokens/<int:token_id>/revoke/", views.revoke_token, name="api_token_revoke"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="annotate:api_schema"),
        name="api_docs",
    ),
    path("api/v1/campaigns/", endpoints.campaigns, name="api_campaigns"),
    path("api/v1/campaigns/new/", write_endpoints.create_campaign, name="api_campaign_create"),
    path("api/v1/corpus/import/", write_endpoints.import_corpus, name="api_corpus_import"),
    path("api/v1/jobs/<int:pk>/", write_endpoints.job, name="api_job"),
    path("api/v1/campaigns/<slug:slug>/", endpoints.campaign, name="api_campaign"),
    path(
        "api/v1/campaigns/<slug:slug>/annotations/",
        endpoints.annotations,
        name="api_annotations",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/annotations.jsonl",
        endpoints.annotations_stream,
        name="api_annotations_stream",
    ),
    path("api/v1/campaigns/<slug:slug>/agreement/", endpoints.agreement, name="api_agreement"),
    path(
        "api/v1/campaigns/<slug:slug>/exports/<str:kind>",
        endpoints.export,
        name="api_export",
    ),
    path("api/v1/campaigns/<slug:slug>/claims/", endpoints.claims, name="api_claims"),
    path(
        "api/v1/campaigns/<slug:slug>/reports/<str:table>/",
        endpoints.report,
        name="api_report",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/documents/",
        write_endpoints.add_documents,
        name="api_campaign_documents",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/members/",
        write_endpoints.set_members,
        name="api_campaign_members",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/settings/",
        write_endpoints.settings,
        name="api_campaign_settings",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/activate/",
        write_endpoints.activate,
        name="api_campaign_activate",
    ),
    path("api/v1/campaigns/<slug:slug>/close/", write_endpoints.close, name="api_campaign_close"),
    path(
        "api/v1/campaigns/<slug:slug>/progress/",
        write_endpoints.progress,
        name="api_campaign_progress",
    ),
    path(
        "api/v1/campaigns/<slug:slug>/annotations/import/",
        write_endpoints.import_annotations,
        name="api_annotation_import",
    ),
]
