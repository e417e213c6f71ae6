from django.urls import path

from annotate.queue import views

urlpatterns = [
    path("c/<slug:slug>/next/", views.next_passage, name="next"),
    path("c/<slug:slug>/p/<int:pk>/", views.passage, name="passage"),
    path("c/<slug:slug>/p/<int:pk>/skip/", views.skip, name="skip"),
    path("c/<slug:slug>/annotations/", views.annotations, name="annotations"),
]
