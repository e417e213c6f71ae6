"""Who may reach every URL the project serves: one line per URL name.

A view added to any urls module and missing here makes
tests/security/test_url_access.py fail with its name, so nobody forgets to
decide who may reach it. Each entry says how the view is called (GET page,
POST-only action, or a page that also takes a POST), who gets the page, and how
to fill its URL arguments from the `world` fixture (tests/security/conftest.py).

Everyone not allowed gets 404 (annotate.access: a reviewer must not learn that
a campaign or someone else's work exists); anonymous visitors are sent to the
login page unless the route is public.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD

WALK_DOCUMENT = b'{"outlet": "Walk", "title": "Walk", "text": "A sentence to import."}\n'

ANONYMOUS, OUTSIDER, REVIEWER, CURATOR, MANAGER, STAFF = (
    "anonymous",
    "olga",
    "alice",
    "carol",
    "mike",
    "staff",
)
ROLES = (ANONYMOUS, OUTSIDER, REVIEWER, CURATOR, MANAGER, STAFF)

EVERYONE = frozenset(ROLES)
USERS = frozenset(ROLES) - {ANONYMOUS}
MEMBERS = frozenset({REVIEWER, CURATOR, MANAGER, STAFF})
ANNOTATORS = frozenset({REVIEWER, STAFF})  # staff may take places too
OWN_WORK = frozenset({REVIEWER})  # only the reviewer who holds the place, not even staff
CURATORS = frozenset({CURATOR, MANAGER, STAFF})
MANAGERS = frozenset({MANAGER, STAFF})
# New campaigns: staff, and users with annotate.add_campaign (none of the world's members).
CAMPAIGN_CREATORS = frozenset({STAFF})
STAFF_ONLY = frozenset({STAFF})  # joining a campaign as a reviewer: staff who see it anyway

GET, POST, GET_POST = "GET", "POST", "GET+POST"


def no_args(world):
    return {}


def slug(world):
    return {"slug": world.campaign.slug}


def own_place(world):
    """alice's claimed place: hers, so only she reaches it."""
    return {"slug": world.campaign.slug, "pk": world.alice_place.pk}


def csv_table(world):
    return {"slug": world.campaign.slug, "table": "outlets"}


def daves_membership(world):
    return {"slug": world.campaign.slug, "member_id": world.membership("dave").pk}


def disputed_passage(world):
    return {"slug": world.campaign.slug, "passage_id": world.alice_place.passage_id}


def claim(world):
    return {"slug": world.campaign.slug, "pk": world.claim.pk}


def claim_link(world):
    return {"slug": world.campaign.slug, "link_id": world.claim_link.pk}


def suggestion(world):
    return {"slug": world.campaign.slug, "suggestion_id": world.suggestion.pk}


def export(world):
    return {"slug": world.campaign.slug, "kind": "annotations.csv"}


def another_passage(world):
    return {"passage": world.suggestion.passage_b_id}


def the_claim(world):
    return {"claim": world.claim.pk}


def walk_documents(world):
    return {"file": SimpleUploadedFile("walk.jsonl", WALK_DOCUMENT)}


def walk_annotations(world):
    passage = world.suggestion.passage_a_id
    return {
        "file": SimpleUploadedFile(
            "walk.csv", f"annotator,label,passage\nx,opinion,{passage}\n".encode()
        )
    }


def api_document_ids(world):
    return {"ids": [world.campaign.documents.order_by("pk").values_list("pk", flat=True)[0]]}


def outlets_report(world):
    return {"slug": world.campaign.slug, "table": "outlets"}


def alices_token(world):
    return {"token_id": world.alice_token.pk}


def own_annotation(world):
    return {"slug": world.campaign.slug, "annotation_id": world.alice_annotation.pk}


def first_version(world):
    return {"slug": world.campaign.slug, "version": 1}


def carols_job(world):
    """A job carol (curator) started on the campaign: hers, its curators', managers', staff's.
    The world's own job when it has one (a GET must write nothing after its snapshot)."""
    from annotate.models import Job

    if getattr(world, "job", None) is None:
        world.job = Job.objects.create(
            kind=Job.Kind.AGREEMENT, campaign=world.campaign, created_by=world.users["carol"]
        )
    return {"pk": world.job.pk}


def new_campaign_form(world):
    return {
        "name": "Second campaign",
        "scheme": world.campaign.scheme_id,
        "overlap": 2,
        "queue_order": "reading",
        "queue_block": 3,
    }


def a_document(world):
    return {"ids": str(world.other_campaign.documents.first().pk)}


@dataclass(frozen=True)
class Route:
    method: str
    allow: frozenset
    kwargs: object = slug
    data: object = field(
        default_factory=dict
    )  # body of the POST, or a function of the world giving it
    ok: int | None = None  # status for allowed users; default 200 for GET, 302 for POST
    public: bool = False  # anonymous visitors are not sent to the login page
    anonymous: int | None = None  # the API answers anonymous visitors with this (401), no page

    def body(self, world):
        return self.data(world) if callable(self.data) else self.data

    def status_for_allowed(self):
        if self.ok is not None:
            return self.ok
        return 302 if self.method == POST else 200


SETTINGS_FORM = {
    "name": "Seed campaign",
    "guidelines": "Label each passage.",
    "overlap": 2,
    "status": "active",
}

ROUTES = {
    "login": Route(
        GET_POST, EVERYONE, no_args, data={"username": "alice", "password": PASSWORD}, public=True
    ),
    "logout": Route(POST, EVERYONE, no_args, public=True),
    "annotate:home": Route(GET, USERS, no_args),
    "annotate:campaign": Route(GET, MEMBERS),
    "annotate:guidelines": Route(GET, MEMBERS),
    "annotate:guidelines_version": Route(GET, MEMBERS, first_version),
    "annotate:my_annotations": Route(GET, MEMBERS),
    # Only its author reads an annotation's history; everyone else gets 404.
    "annotate:my_annotation_history": Route(GET, OWN_WORK, own_annotation),
    "annotate:next": Route(POST, ANNOTATORS),
    "annotate:passage": Route(
        GET_POST, OWN_WORK, own_place, data={"label": "opinion", "confidence": "low"}
    ),
    "annotate:skip": Route(POST, OWN_WORK, own_place, data={"reason": "garbled"}),
    "annotate:annotations": Route(GET, CURATORS),
    "annotate:agreement": Route(GET, CURATORS),
    "annotate:agreement_csv": Route(GET, CURATORS, csv_table),
    "annotate:manage": Route(GET, MANAGERS),
    "annotate:manage_settings": Route(POST, MANAGERS, data=SETTINGS_FORM),
    "annotate:add_member": Route(POST, MANAGERS, data={"username": "olga", "role": "reviewer"}),
    "annotate:remove_member": Route(POST, MANAGERS, daves_membership),
    # Setting a campaign up (annotate/campaigns/setup.py)
    "annotate:campaign_new": Route(GET_POST, CAMPAIGN_CREATORS, no_args, data=new_campaign_form),
    "annotate:campaign_documents": Route(GET_POST, MANAGERS, data=a_document),
    "annotate:campaign_activate": Route(POST, MANAGERS),
    "annotate:campaign_close": Route(POST, MANAGERS),
    "annotate:campaign_join": Route(POST, STAFF_ONLY),
    # annotate/urls_adjudication.py
    "annotate:adjudication": Route(GET, CURATORS),
    "annotate:adjudication_decided": Route(GET, CURATORS),
    "annotate:adjudicate": Route(
        GET_POST,
        CURATORS,
        disputed_passage,
        data={"label": "opinion", "rationale": "Reads as comment."},
    ),
    "annotate:adjudication_bulk": Route(POST, CURATORS),
    # annotate/urls_claims.py: curators work on claims; a reviewer only proposes, from a place of their own
    "annotate:claims": Route(GET, CURATORS),
    "annotate:claims_csv": Route(GET, CURATORS),
    "annotate:claim_create": Route(POST, CURATORS, data={"statement": "Troops left in August"}),
    "annotate:claim": Route(GET, CURATORS, claim),
    "annotate:claim_update": Route(
        POST, CURATORS, claim, data={"statement": "Weapons were left behind"}
    ),
    "annotate:claim_delete": Route(POST, CURATORS, claim),
    "annotate:claim_link": Route(POST, CURATORS, claim, data=another_passage),
    "annotate:claim_link_edit": Route(
        POST, CURATORS, claim_link, data={"attributed_to": "The Pentagon"}
    ),
    "annotate:claim_link_remove": Route(POST, CURATORS, claim_link),
    "annotate:claim_link_decide": Route(POST, CURATORS, claim_link, data={"decision": "accept"}),
    "annotate:claim_suggestions": Route(GET, CURATORS),
    "annotate:claim_suggestions_refresh": Route(POST, CURATORS),
    "annotate:claim_suggestion_accept": Route(
        POST, CURATORS, suggestion, data={"statement": "Same figure"}
    ),
    "annotate:claim_suggestion_reject": Route(POST, CURATORS, suggestion),
    "annotate:claim_propose": Route(GET_POST, OWN_WORK, own_place, data=the_claim),
    # annotate/urls_reports.py
    "annotate:reports": Route(GET, CURATORS),
    "annotate:report_documents": Route(GET, CURATORS),
    "annotate:report_reviewers": Route(GET, CURATORS),
    "annotate:report_comparisons": Route(GET, CURATORS),
    "annotate:export": Route(GET, CURATORS, export),
    # annotate/jobs/urls.py: a job is seen by its creator, staff, its campaign's curators
    "annotate:job": Route(GET, CURATORS, carols_job),
    "annotate:job_status": Route(GET, CURATORS, carols_job),
    # annotate/api/urls.py: tokens are each user's own; the API keeps the pages' rules and
    # answers anonymous callers 401 (a script has no login page to go to).
    "annotate:api_tokens": Route(GET, USERS, no_args),
    "annotate:api_token_create": Route(POST, USERS, no_args, data={"name": "walk"}, ok=201),
    "annotate:api_token_revoke": Route(POST, OWN_WORK, alices_token),
    # The schema and its docs page describe the API, not anyone's data: open to everyone.
    "annotate:api_schema": Route(GET, EVERYONE, no_args, public=True),
    "annotate:api_docs": Route(GET, EVERYONE, no_args, public=True),
    "annotate:api_campaigns": Route(GET, USERS, no_args, anonymous=401),
    "annotate:api_campaign": Route(GET, MEMBERS, anonymous=401),
    "annotate:api_annotations": Route(GET, CURATORS, anonymous=401),
    "annotate:api_annotations_stream": Route(GET, CURATORS, anonymous=401),
    "annotate:api_agreement": Route(GET, CURATORS, anonymous=401),
    "annotate:api_export": Route(GET, CURATORS, export, anonymous=401),
    "annotate:api_claims": Route(GET, CURATORS, anonymous=401),
    "annotate:api_campaign_progress": Route(GET, CURATORS, anonymous=401),
    "annotate:api_report": Route(GET, CURATORS, outlets_report, anonymous=401),
    "annotate:api_job": Route(GET, CURATORS, carols_job, anonymous=401),
    "annotate:api_campaign_create": Route(
        POST, frozenset({STAFF}), no_args, data={"name": "Walk study"}, ok=201, anonymous=401
    ),
    "annotate:api_corpus_import": Route(
        POST, frozenset({STAFF}), no_args, data=walk_documents, ok=202, anonymous=401
    ),
    "annotate:api_annotation_import": Route(
        POST, CURATORS, data=walk_annotations, ok=202, anonymous=401
    ),
    "annotate:api_campaign_documents": Route(
        POST, MANAGERS, data=api_document_ids, ok=200, anonymous=401
    ),
    "annotate:api_campaign_members": Route(
        POST, MANAGERS, data={"username": "dave", "role": "reviewer"}, ok=200, anonymous=401
    ),
    "annotate:api_campaign_settings": Route(
        POST, MANAGERS, data={"guidelines": "Label each passage."}, ok=200, anonymous=401
    ),
    # The world's campaign is active already: a manager reaches the service, which refuses.
    "annotate:api_campaign_activate": Route(POST, MANAGERS, ok=400, anonymous=401),
    "annotate:api_campaign_close": Route(POST, MANAGERS, ok=200, anonymous=401),
}
