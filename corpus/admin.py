from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.functions import Coalesce, Substr
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.text import capfirst

from corpus import segmentation
from corpus.models import Document, Figure, Passage, Source
from corpus.readers import MANIFEST

# What the import form accepts, checked before the file is stored (corpus.readers.reader_for).
UPLOAD_SUFFIXES = (".csv", ".jsonl", ".zip")

# The document page lists this many passages; a 5 MB document of 80,645
# passages made the page time out, so the rest are on the passage list.
INLINE_PASSAGES = 200
# Characters of a passage shown in the passage list.
EXCERPT_CHARS = 120
# Rows named on the delete page when something stops a deletion.
LISTED_BLOCKERS = 100


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv or .jsonl file (columns outlet, title, text; optional url, date, byline), "
        "or a .zip of .txt files with a manifest.csv (file, outlet, title; optional url, date, byline)."
    )
    mode = forms.ChoiceField(choices=Document.Segmentation.choices, initial=segmentation.SENTENCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += (
            f" At most {settings.CREDENCE_MAX_UPLOAD_MB} MB; import larger files with the "
            "import_corpus command."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CREDENCE_MAX_UPLOAD_MB
        if upload.size > limit * 2**20:
            # A background job reads the file whole; larger files go through the command.
            raise forms.ValidationError(
                f"The file is larger than {limit} MB; import it with the import_corpus command."
            )
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                f"{Path(upload.name or '').name}: unsupported file type {suffix or '(none)'}; "
                f"use .csv, .jsonl, .zip or a folder with {MANIFEST}"
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


class FirstPassagesFormSet(BaseInlineFormSet):
    def get_queryset(self):
        # Kept, so that the forms index one evaluated list instead of a query each.
        if not hasattr(self, "_first_passages"):
            self._first_passages = super().get_queryset()[:INLINE_PASSAGES]
        return self._first_passages


class PassageInline(admin.TabularInline):
    model = Passage
    formset = FirstPassagesFormSet
    fields = ["position", "kind", "start", "end", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


def passage_count():
    """Passages per document as a subquery, so that no query groups documents by their text."""
    return Coalesce(
        Subquery(
            Passage.objects.filter(document=OuterRef("pk"))
            .order_by()
            .values("document")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published", "passage_total", "imported_at"]
    list_filter = ["source", "published"]
    list_select_related = ["source"]
    search_fields = ["title", "text"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "imported_at", "segmentation", "passage_list", "text"]
    fields = [
        "source",
        "title",
        "url",
        "byline",
        "published",
        "segmentation",
        "content_hash",
        "imported_at",
        "passage_list",
        "text",
    ]
    inlines = [PassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_list_template = "admin/corpus/document/change_list.html"

    def get_queryset(self, request):
        # A document's text may be megabytes: lists never load it (the change
        # page loads it for the one document it shows).
        return super().get_queryset(request).defer("text").annotate(passage_total=passage_count())

    @admin.display(ordering="passage_total", description="Passages")
    def passage_total(self, obj):
        return obj.passage_total

    @admin.display(description="Passages")
    def passage_list(self, obj):
        listed = (
            "listed below"
            if obj.passage_total <= INLINE_PASSAGES
            else f"the first {INLINE_PASSAGES} listed below"
        )
        return format_html(
            '{} passage(s), {}; <a href="{}?document__id__exact={}">all of them in the passage '
            "list</a>",
            f"{obj.passage_total:,}",
            listed,
            reverse("admin:corpus_passage_changelist"),
            obj.pk,
        )

    def get_deleted_objects(self, objs, request):
        """Count what deleting documents takes with it, instead of naming every row.

        Django's confirmation page names each passage and each row under it, and the
        collector behind it grows faster than the document: 4,000 passages took 750 MB,
        and a document of 80,000 ran a 24 GB machine out of memory, so it could not be
        deleted at all. Deleting itself (Collector, as below) is linear. Rows that stop
        the deletion (a campaign's documents and reviewer places are protected) are
        named, the first LISTED_BLOCKERS of them.
        """
        objs = list(objs)
        collector = Collector(using=router.db_for_write(self.model), origin=objs)
        try:
            collector.collect(objs)
        except (ProtectedError, RestrictedError) as error:
            blockers = getattr(error, "protected_objects", None) or error.restricted_objects
            blockers = list(blockers)
            protected = [
                f"{capfirst(row._meta.verbose_name)}: {row}" for row in blockers[:LISTED_BLOCKERS]
            ]
            if len(blockers) > LISTED_BLOCKERS:
                protected.append(f"... and {len(blockers) - LISTED_BLOCKERS:,} more")
            return [], {}, set(), protected
        counts = {}
        for model, rows in collector.data.items():
            counts[model] = counts.get(model, 0) + len(rows)
        for rows in collector.fast_deletes:
            size = rows.count() if isinstance(rows, QuerySet) else len(rows)
            counts[rows.model] = counts.get(rows.model, 0) + size
        perms_needed = {
            model._meta.verbose_name
            for model in counts
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        model_count = {model._meta.verbose_name_plural: n for model, n in counts.items() if n}
        deleted = [
            format_html(
                '{}: <a href="{}">{}</a>',
                capfirst(self.model._meta.verbose_name),
                reverse("admin:corpus_document_change", args=[document.pk]),
                document,
            )
            for document in objs
        ]
        return deleted, model_count, perms_needed, []

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
        """Store the upload and queue its import as a background job, then show the job's
        page: the import no longer has to finish inside the request. The function that
        stores and queues is named by settings.CREDENCE_CORPUS_IMPORT_JOB (annotate's
        jobs; the corpus app never imports annotate) and returns the job, whose page
        (get_absolute_url) follows its progress and lists a refused file's errors."""
        if not request.user.has_perm("corpus.change_document"):
            raise PermissionDenied
        # Bound on every POST, even an empty one, so that a submit without a file says so.
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if request.method == "POST" and form.is_valid():
            enqueue = import_string(settings.CREDENCE_CORPUS_IMPORT_JOB)
            job = enqueue(form.cleaned_data["file"], form.cleaned_data["mode"], request.user)
            messages.success(
                request, "Uploaded. The import runs in the background; this page follows it."
            )
            return redirect(job)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": None,
            "title": "Import documents",
            "opts": self.model._meta,
        }
        return render(request, "admin/corpus/document/import.html", context)


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["document", "position", "kind", "excerpt"]
    list_filter = ["kind", "document__source"]
    list_select_related = ["document"]
    search_fields = ["text"]
    readonly_fields = ["document", "position", "start", "end", "text", "kind"]

    def get_queryset(self, request):
        # The list shows the start of each passage and its document's title: it
        # loads neither text whole (a passage or a document may be megabytes).
        return (
            super()
            .get_queryset(request)
            .select_related("document")
            .defer("text", "document__text")
            .annotate(text_start=Substr("text", 1, EXCERPT_CHARS + 1))
        )

    @admin.display(description="Text")
    def excerpt(self, obj):
        start = obj.text_start
        return start if len(start) <= EXCERPT_CHARS else start[: EXCERPT_CHARS - 1] + "…"

    def has_add_permission(self, request):
        return False


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    """Read-only: figures are rebuilt from the text (manage.py extract_figures)."""

    list_display = [
        "text",
        "kind",
        "value",
        "low",
        "high",
        "currency",
        "unit",
        "qualifier",
        "change",
        "entity",
        "passage",
    ]
    list_filter = ["kind", "qualifier", "change"]
    search_fields = ["text", "unit"]
    list_select_related = ["passage"]
    readonly_fields = [
        "passage",
        "kind",
        "value",
        "low",
        "high",
        "currency",
        "unit",
        "qualifier",
        "change",
        "entity",
        "text",
        "start",
        "end",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
