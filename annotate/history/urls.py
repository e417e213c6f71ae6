from django.urls import path

from annotate.history import views

urlpatterns = [
    path("c/<slug:slug>/mine/", views.my_annotations, name="my_annotations"),
    path(
        "c/<slug:slug>/mine/<int:annotation_id>/history/",
        views.my_annotation_history,
        name="my_annotation_history",
    ),
]
