"""Inter-annotator agreement: one engine, one public API (pure pandas + NumPy, no Django).

Modules, each importing only those before it:
- ``coding``: cleaning and integer coding of long frames (item, annotator, label), and
  ``AgreementResult``, the one way a value travels with the reason it is undefined;
- ``coefficients``: Krippendorff's alpha, coincidences, per-label alpha, Fleiss' kappa,
  Gwet's AC1, observed agreement;
- ``pairwise``: Cohen's kappa for pairs of annotators;
- ``summaries``: any measure by name, as an AgreementResult;
- ``bootstrap``: the percentile bootstrap of alpha, resampling items or whole documents;
- ``dashboard``: the agreement dashboard's tables (per dimension, outlet, document, label,
  reviewer) from those;
- ``spans``: agreement on spans (alpha over tokens, pairwise span F1) and ``unitizing``:
  Krippendorff's unitizing alpha.

The pages live beside them (``views``, ``urls``, ``tables``) and read the database through
``selectors``; none of those is imported here, so importing this package needs no Django.
"""

from annotate.agreement.bootstrap import BootstrapResult, bootstrap_alpha
from annotate.agreement.coding import AgreementResult
from annotate.agreement.coefficients import (
    alpha_summary,
    coincidence_matrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    per_label_alpha,
    percent_agreement,
)
from annotate.agreement.dashboard import (
    BABE_RANGE,
    RELIABLE,
    TENTATIVE,
    campaign_agreement,
    dimension_row,
    grouped_agreement,
    grouped_alpha_interval,
    per_annotator,
    reading,
)
from annotate.agreement.pairwise import cohen_kappa, pairwise_cohen_kappa
from annotate.agreement.spans import pairwise_span_f1, span_f1, token_alpha, token_frame
from annotate.agreement.summaries import agreement_summary
from annotate.agreement.unitizing import unitizing_alpha

__all__ = [
    "BABE_RANGE",
    "RELIABLE",
    "TENTATIVE",
    "AgreementResult",
    "BootstrapResult",
    "agreement_summary",
    "alpha_summary",
    "bootstrap_alpha",
    "campaign_agreement",
    "cohen_kappa",
    "coincidence_matrix",
    "dimension_row",
    "fleiss_kappa",
    "grouped_agreement",
    "grouped_alpha_interval",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",
    "pairwise_span_f1",
    "per_annotator",
    "per_label_alpha",
    "percent_agreement",
    "reading",
    "span_f1",
    "token_alpha",
    "token_frame",
    "unitizing_alpha",
]
