"""Any agreement measure by name, as an AgreementResult (value plus reason), for the UI."""

from __future__ import annotations

import pandas as pd

from annotate.agreement.coding import AgreementResult, code
from annotate.agreement.coefficients import alpha_result, share_results
from annotate.agreement.pairwise import cohen_result

_SUMMARIES = {
    "alpha": lambda df, level="nominal", order=None: alpha_result(code(df, order, level), level),
    "fleiss_kappa": lambda df: share_results(code(df))["fleiss_kappa"],
    "gwet_ac1": lambda df, labels=None: share_results(code(df, labels))["gwet_ac1"],
    "percent_agreement": lambda df: share_results(code(df))["percent_agreement"],
    "cohen_kappa": cohen_result,
}


def agreement_summary(df: pd.DataFrame, measure: str = "alpha", *args, **kwargs) -> AgreementResult:
    """Value plus reason for UI display; ``measure`` is one of ``alpha``, ``fleiss_kappa``,
    ``gwet_ac1``, ``percent_agreement``, ``cohen_kappa``; extra arguments go to that measure."""
    try:
        summarise = _SUMMARIES[measure]
    except KeyError:
        raise ValueError(f"measure must be one of {sorted(_SUMMARIES)}") from None
    return summarise(df, *args, **kwargs)
