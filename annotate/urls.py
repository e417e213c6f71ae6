"""All of annotate's pages, one concern per package. Every URL name lives in the annotate
namespace (``annotate:passage``) and leads to its package's views in one hop."""

from django.urls import include, path

app_name = "annotate"
urlpatterns = [
    path("", include("annotate.campaigns.urls")),
    path("", include("annotate.queue.urls")),
    path("", include("annotate.adjudication.urls")),
    path("", include("annotate.agreement.urls")),
    path("", include("annotate.reports.urls")),
    path("", include("annotate.claims.urls")),
    path("", include("annotate.history.urls")),
    path("", include("annotate.jobs.urls")),
    path("", include("annotate.api.urls")),
]
