from django.urls import path

from annotate import agreement_views, urls_adjudication, urls_claims, urls_reports, views

app_name = "annotate"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.campaign, name="campaign"),
    path("c/<slug:slug>/guidelines/", views.guidelines, name="guidelines"),
    path("c/<slug:slug>/next/", views.next_passage, name="next"),
    path("c/<slug:slug>/p/<int:pk>/", views.passage, name="passage"),
    path("c/<slug:slug>/p/<int:pk>/skip/", views.skip, name="skip"),
    path("c/<slug:slug>/annotations/", views.annotations, name="annotations"),
    path("c/<slug:slug>/agreement/", agreement_views.agreement, name="agreement"),
    path(
        "c/<slug:slug>/agreement/<slug:table>.csv",
        agreement_views.agreement_csv,
        name="agreement_csv",
    ),
    path("c/<slug:slug>/manage/", views.manage, name="manage"),
    path("c/<slug:slug>/manage/settings/", views.manage_settings, name="manage_settings"),
    path("c/<slug:slug>/manage/members/", views.add_member, name="add_member"),
    path(
        "c/<slug:slug>/manage/members/<int:member_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
]
# Each feature's routes live beside it; all share the annotate namespace.
urlpatterns += urls_adjudication.urlpatterns + urls_reports.urlpatterns + urls_claims.urlpatterns
