from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse

from corpus import segmentation
from corpus.importer import import_upload
from corpus.models import Document, Figure, Passage, Source

MAX_UPLOAD = 200 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv or .jsonl file (columns outlet, title, text; optional url, date, byline), "
        "or a .zip of .txt files with a manifest.csv (file, outlet, title; optional url, date, byline)."
    )
    mode = forms.ChoiceField(choices=Document.Segmentation.choices, initial=segmentation.SENTENCE)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                "The file is larger than 200 MB; import it with the import_corpus command."
            )
        return upload


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "document_count", "passage_count"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(ordering="document_count", description="Documents")
    def document_count(self, obj):
        return obj.document_count

    @admin.display(ordering="passage_count", description="Passages")
    def passage_count(self, obj):
        return obj.passage_count


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["position", "kind", "start", "end", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published", "passage_total", "imported_at"]
    list_filter = ["source", "published"]
    list_select_related = ["source"]
    search_fields = ["title", "text"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "imported_at", "segmentation", "text"]
    fields = [
        "source",
        "title",
        "url",
        "byline",
        "published",
        "segmentation",
        "content_hash",
        "imported_at",
        "text",
    ]
    inlines = [PassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_list_template = "admin/corpus/document/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_total=Count("passages"))

    @admin.display(ordering="passage_total", description="Passages")
    def passage_total(self, obj):
        return obj.passage_total

    def has_add_permission(self, request):
        # Documents come in through the importer, which segments them; a
        # document typed into a form would have no passages.
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="corpus_document_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("corpus.change_document"):
            raise PermissionDenied
        # Bound on every POST, even an empty one, so that a submit without a file says so.
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_upload(upload.name, upload.read(), mode=form.cleaned_data["mode"])
            if report.ok:
                messages.success(request, report.summary())
                return redirect(reverse("admin:corpus_document_changelist"))
            messages.error(
                request,
                "Nothing from this file was imported; fix the problems below and upload it again.",
            )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "title": "Import documents",
            "opts": self.model._meta,
        }
        return render(request, "admin/corpus/document/import.html", context)


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["document", "position", "kind", "text"]
    list_filter = ["kind", "document__source"]
    list_select_related = ["document"]
    search_fields = ["text"]
    readonly_fields = ["document", "position", "start", "end", "text", "kind"]

    def has_add_permission(self, request):
        return False


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    """Read-only: figures are rebuilt from the text (manage.py extract_figures)."""

    list_display = ["text", "kind", "value", "currency", "unit", "qualifier", "passage"]
    list_filter = ["kind", "qualifier"]
    search_fields = ["text", "unit"]
    list_select_related = ["passage"]
    readonly_fields = [
        "passage",
        "kind",
        "value",
        "currency",
        "unit",
        "qualifier",
        "text",
        "start",
        "end",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
