"""Annotate's models, one module per part of the workflow; import them from here."""

from annotate.models.adjudication import Adjudication, AdjudicationRevision
from annotate.models.campaigns import (
    BiasMarker,
    Campaign,
    CampaignDocument,
    Label,
    LabelScheme,
    Membership,
)
from annotate.models.claims import Claim, ClaimLink, ClaimSuggestion
from annotate.models.jobs import ComputedResult, Job
from annotate.models.tokens import ApiToken
from annotate.models.work import (
    Annotation,
    AnnotationRevision,
    Assignment,
    CitedSourceType,
    Confidence,
    Skip,
)

__all__ = [
    "ApiToken",
    "Adjudication",
    "AdjudicationRevision",
    "Annotation",
    "AnnotationRevision",
    "Assignment",
    "BiasMarker",
    "Campaign",
    "CampaignDocument",
    "CitedSourceType",
    "Claim",
    "ClaimLink",
    "ClaimSuggestion",
    "ComputedResult",
    "Confidence",
    "Job",
    "Label",
    "LabelScheme",
    "Membership",
    "Skip",
]
