"""Bylines that credit an organisation, not a person: news agencies, wire services, staff and
desk credits ("Associated Press", "PTI", "IGN Staff", "European Space Agency")."""

import re

_AGENCY_NAMES = frozenset(
    name.casefold()
    for name in (
        "AP",
        "The Associated Press",
        "Associated Press",
        "Reuters",
        "Thomson Reuters",
        "AFP",
        "Agence France-Presse",
        "Agence France Presse",
        "PTI",
        "Press Trust of India",
        "IANS",
        "ANI",
        "UNI",
        "UPI",
        "United Press International",
        "dpa",
        "EFE",
        "ANSA",
        "Xinhua",
        "Kyodo",
        "Yonhap",
        "TASS",
        "AAP",
        "Bernama",
        "Canadian Press",
        "The Canadian Press",
        "Press Association",
        "PA",
        "Bloomberg",
        "CNA",
        "NNA",
        "APA",
        "KNA",
        "Anadolu Agency",
        "WAM",
        "SPA",
    )
)
# Words that make a byline an organisational credit wherever they stand in it.
_CREDIT_WORDS = re.compile(
    r"\b(?:staff(?!\s+(?:writer|reporter|photographer|editor))|wire(?:\s+services?|\s+reports?)?|news\s+service"
    r"|news\s*desk|desk|bureau|agenc(?:y|ies)|newsroom|editorial(?:\s+board|\s+team)?"
    r"|press\s+release|associated\s+press|reuters)\b",
    re.IGNORECASE,
)


def is_agency(name: str) -> bool:
    """Whether a byline or publisher name credits an organisation rather than a person."""
    folded = " ".join(name.casefold().replace(".", "").split())
    return folded in _AGENCY_NAMES or bool(_CREDIT_WORDS.search(name))
