"""URLs of the reports pages, kept apart so each feature owns its routes (joined in annotate.urls)."""

urlpatterns = []
