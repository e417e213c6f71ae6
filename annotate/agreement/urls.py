from django.urls import path

from annotate.agreement import views

urlpatterns = [
    path("c/<slug:slug>/agreement/", views.agreement, name="agreement"),
    path("c/<slug:slug>/agreement/<slug:table>.csv", views.agreement_csv, name="agreement_csv"),
]
