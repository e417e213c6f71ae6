from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from annotate.api import services as api_services
from annotate.campaigns import services
from annotate.jobs.versions import bump
from annotate.models import (
    Adjudication,
    AdjudicationRevision,
    Annotation,
    AnnotationRevision,
    ApiToken,
    BiasMarker,
    Campaign,
    CampaignDocument,
    Claim,
    ClaimLink,
    ClaimSuggestion,
    ComputedResult,
    Job,
    Label,
    LabelScheme,
    Membership,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: reviewers' work, curators' decisions, claims and their
    history are written by the pages' services, which keep the history (and the rules);
    deleting an annotation here would have taken its revisions with it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows each change (what, when, by whom) and never reverts one.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button: a posted revert would still
    save the old row, skipping the rules a save runs here (a campaign's new slots and
    re-sequenced queue). So the old version's page is for reading only."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Old versions are shown, not restored: edit the row itself.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0


class BiasMarkerInline(admin.TabularInline):
    model = BiasMarker
    extra = 0


@admin.register(LabelScheme)
class LabelSchemeAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LabelInline, BiasMarkerInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Label and marker names appear in every computed report: results cached for the
        # campaigns using this scheme are out of date now.
        for campaign_id in form.instance.campaigns.values_list("pk", flat=True):
            bump(campaign_id)


class CampaignDocumentInline(admin.TabularInline):
    model = CampaignDocument
    extra = 0
    autocomplete_fields = ["document"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = ["name", "status", "overlap", "queue_order", "blind_outlet", "created_at"]
    list_filter = ["status", "queue_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CampaignDocumentInline, MembershipInline]
    # Moves only through the service, when the guidelines text changes.
    readonly_fields = ["guidelines_version"]
    actions = ["activate"]

    def save_model(self, request, obj, form, change):
        # New guidelines text takes the next version, written in the same save (and
        # historical record) as the text, inside the admin's transaction.
        services.bump_guidelines_version(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # New documents or a higher overlap need slots once the campaign runs, and a new
        # queue order, block size or seed re-sequences the places nobody has been handed:
        # sync_slots does both, in the admin's transaction.
        if form.instance.is_active:
            services.sync_slots(form.instance)
        bump(form.instance.pk)  # documents, members or settings may have changed

    @admin.action(description="Activate (hand passages out to reviewers)")
    def activate(self, request, queryset):
        for campaign in queryset:
            made = services.activate_campaign(campaign)
            messages.success(request, f"{campaign}: active, {made} new reviewer slot(s).")


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "label", "cited_type", "confidence", "updated_at"]
    list_filter = ["assignment__campaign", "label"]
    list_select_related = ["assignment"]
    readonly_fields = [
        "assignment",
        "label",
        "cited_source",
        "cited_type",
        "markers",
        "confidence",
        "note",
    ]


@admin.register(AnnotationRevision)
class AnnotationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["annotation", "changed_by", "changed_at"]
    list_select_related = ["changed_by", "annotation"]
    readonly_fields = ["annotation", "changed_by", "changed_at", "before", "after"]


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin, ReadOnlyAdmin):
    list_display = ["statement", "campaign", "created_by", "created_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "created_by"]
    search_fields = ["statement"]
    raw_id_fields = ["created_by"]


@admin.register(ClaimLink)
class ClaimLinkAdmin(HistoryAdmin, ReadOnlyAdmin):
    list_display = ["claim", "passage", "value_text", "attributed_to", "status"]
    list_filter = ["status", "claim__campaign"]
    list_select_related = ["claim", "passage"]
    raw_id_fields = ["claim", "passage", "proposed_by", "decided_by"]


@admin.register(ClaimSuggestion)
class ClaimSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "rank", "passage_a", "passage_b", "score", "status"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "passage_a", "passage_b"]
    readonly_fields = [
        "campaign",
        "passage_a",
        "passage_b",
        "score",
        "similarity",
        "shared",
        "rank",
        "claim",
        "decided_by",
        "decided_at",
        "created_at",
    ]


@admin.register(Adjudication)
class AdjudicationAdmin(ReadOnlyAdmin):
    """Read-only: decisions are made on the adjudication pages, which keep their history."""

    list_display = ["passage", "campaign", "label", "method", "decided_by", "decided_at"]
    list_filter = ["campaign", "label", "method"]
    list_select_related = ["passage", "campaign", "decided_by"]
    readonly_fields = [
        "campaign",
        "passage",
        "label",
        "cited_source",
        "cited_type",
        "markers",
        "rationale",
        "method",
        "decided_by",
        "decided_at",
    ]


@admin.register(AdjudicationRevision)
class AdjudicationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["adjudication", "changed_by", "changed_at"]
    list_select_related = ["changed_by", "adjudication"]
    readonly_fields = ["adjudication", "changed_by", "changed_at", "before", "after"]


class ChangeLogAdmin(ReadOnlyAdmin):
    """The history of rows edited as inlines (labels, markers, members, documents), which
    have no page of their own: each row says what the row was after the change, the kind
    of change, when and by whom."""

    date_hierarchy = "history_date"
    list_select_related = ["history_user"]

    def get_list_display(self, request):
        return [*self.shown, "history_type", "history_date", "history_user"]


@admin.register(Membership.history.model)
class MembershipChangeAdmin(ChangeLogAdmin):
    shown = ["campaign", "user", "role"]
    list_filter = ["campaign", "history_type"]
    list_select_related = ["history_user", "campaign", "user"]


@admin.register(CampaignDocument.history.model)
class CampaignDocumentChangeAdmin(ChangeLogAdmin):
    shown = ["campaign", "document_id", "position"]
    list_filter = ["campaign", "history_type"]
    list_select_related = ["history_user", "campaign"]


@admin.register(Label.history.model)
class LabelChangeAdmin(ChangeLogAdmin):
    shown = ["scheme", "value", "name", "key", "position"]
    list_filter = ["scheme", "history_type"]
    list_select_related = ["history_user", "scheme"]


@admin.register(BiasMarker.history.model)
class BiasMarkerChangeAdmin(ChangeLogAdmin):
    shown = ["scheme", "value", "name", "position"]
    list_filter = ["scheme", "history_type"]
    list_select_related = ["history_user", "scheme"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see every token by name and prefix and can revoke one; nobody sees a secret
    (only its digest is stored, and it is not shown) or makes a token here: a token is shown
    once, on its owner's API tokens page."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke (requests with these tokens fail from now on)")
    def revoke(self, request, queryset):
        revoked = [api_services.revoke_token(t.user, t.pk) for t in queryset.select_related("user")]
        messages.success(request, f"{len(revoked)} token(s) revoked.")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Background jobs as their pages show them; run and retried by the worker, not here."""

    list_display = ["pk", "kind", "status", "campaign", "created_by", "created_at", "done", "total"]
    list_filter = ["kind", "status"]
    list_select_related = ["campaign", "created_by"]


@admin.register(ComputedResult)
class ComputedResultAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "kind", "data_version", "computed_at"]
    list_select_related = ["campaign"]
    exclude = ["payload"]
