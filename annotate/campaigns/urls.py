from django.urls import path

from annotate.campaigns import views

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.new_campaign, name="campaign_new"),
    path("c/<slug:slug>/", views.campaign, name="campaign"),
    path("c/<slug:slug>/guidelines/", views.guidelines, name="guidelines"),
    path(
        "c/<slug:slug>/guidelines/v<int:version>/",
        views.guidelines_version,
        name="guidelines_version",
    ),
    path("c/<slug:slug>/join/", views.join_campaign, name="campaign_join"),
    path("c/<slug:slug>/manage/", views.manage, name="manage"),
    path("c/<slug:slug>/manage/documents/", views.campaign_documents, name="campaign_documents"),
    path("c/<slug:slug>/manage/activate/", views.activate_campaign, name="campaign_activate"),
    path("c/<slug:slug>/manage/close/", views.close_campaign, name="campaign_close"),
    path("c/<slug:slug>/manage/settings/", views.manage_settings, name="manage_settings"),
    path("c/<slug:slug>/manage/members/", views.add_member, name="add_member"),
    path(
        "c/<slug:slug>/manage/members/<int:member_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
]
