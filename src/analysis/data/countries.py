"""Country names as published -> ISO 3166-1 alpha-3 codes, across the GSI editions.

Every code must be in ``data/raw/iso3166_country_codes.csv`` (the ISO 3166-1 list,
plus user-assigned codes such as XKX for Kosovo, each flagged with its reason), and
no two names of one edition may share a code.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import AnalysisError, ParameterError, RawDataError
from ..paths import ProjectPaths, project_paths
from .raw_io import read_raw

CODES_FILE = "country_codes.csv"
ISO_FILE = "iso3166_country_codes.csv"


def iso_names(paths: ProjectPaths | None = None) -> dict[str, str]:
    """``{alpha-3 code: short name}`` of every code in the ISO 3166-1 list (and the flagged extras)."""
    iso = read_raw(ISO_FILE, paths)
    return dict(zip(iso["alpha_3"], iso["name"]))


def check_codes_are_iso(codes: pd.DataFrame, names: dict[str, str], file: str = CODES_FILE) -> None:
    """Check each row's ``iso3`` is in the ISO 3166-1 list and ``iso_name`` is that code's name.

    Stops at the first row that breaks either, naming the file, line and column.
    """
    for idx, (code, name) in enumerate(zip(codes["iso3"], codes["iso_name"])):
        if code not in names:
            raise RawDataError(file, f"{code!r} is not an ISO 3166-1 alpha-3 code: it is not in "
                               f"{ISO_FILE}, which lists the assigned codes and the user-assigned "
                               "ones the data need", line=idx + 2, column="iso3")
        if name != names[code]:
            raise RawDataError(file, f"{name!r} is not the name of {code} in {ISO_FILE}, which is "
                               f"{names[code]!r}: is the code right?", line=idx + 2, column="iso_name")


def country_code_table(paths: ProjectPaths | None = None) -> pd.DataFrame:
    """``data/raw/country_codes.csv`` after checking every code against the ISO 3166-1 list."""
    codes = read_raw(CODES_FILE, paths)
    check_codes_are_iso(codes, iso_names(paths))
    return codes


def country_codes(paths: ProjectPaths | None = None) -> dict[str, str]:
    """Return ``{published country name: ISO3 code}`` from ``data/raw/country_codes.csv`` (checked)."""
    codes = country_code_table(paths)
    return dict(zip(codes["name"], codes["iso3"]))


def attach_iso3(frame: pd.DataFrame, file: str, codes: dict[str, str],
                column: str = "country") -> pd.Series:
    """Return the ISO3 code of each row's ``column``.

    A name not in the crosswalk stops with an error naming the file, line and name,
    so a new or misspelt country never disappears silently from a join.
    """
    iso3 = frame[column].map(codes)
    unknown = iso3.isna()
    if unknown.any():
        idx = int(unknown.to_numpy().nonzero()[0][0])
        name = frame[column].iloc[idx]
        raise RawDataError(file, f"unknown country name {name!r}: it is not in "
                           f"{CODES_FILE}; add it there (scripts/extract_raw.py, NAME_OVERRIDES)",
                           line=idx + 2, column=column)
    return iso3.astype("string")


def check_unique_codes(long: pd.DataFrame, codes: pd.DataFrame) -> None:
    """Check that no code appears twice in one edition of ``long`` (the stacked GSI tables).

    Two published names of one edition with the same code would merge two countries;
    the error names the line of ``country_codes.csv`` that gives the first of them the code.
    """
    twice = long[long.duplicated(["edition", "iso3"], keep=False)]
    if twice.empty:
        return
    edition, code = twice["edition"].iloc[0], twice["iso3"].iloc[0]
    names = twice.loc[(twice["edition"] == edition) & (twice["iso3"] == code), "name_as_published"]
    lines = {name: idx + 2 for idx, name in enumerate(codes["name"])}
    first, second = sorted(names, key=lambda n: lines.get(n, 0))[:2]
    raise RawDataError(CODES_FILE, f"{code} is the code of both {first!r} and {second!r} (line "
                       f"{lines.get(second)}), two countries of GSI {edition}: codes must be unique "
                       "within an edition", line=lines.get(first), column="iso3")


# --- finding a country by what a user types --------------------------------------------------------

#: Words left out of a name's initials ("Democratic People's Republic of Korea" -> DPRK).
_MINOR_WORDS = {"of", "the", "and", "de", "du", "des"}


def normal_name(text: str) -> str:
    """``text`` as a key for matching names: case-folded, accents, apostrophes and punctuation removed."""
    text = unicodedata.normalize("NFKD", str(text).replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text.replace("'", ""))
    return " ".join(text.split())


def name_forms(name: str) -> set[str]:
    """The forms a user may type for a country called ``name``, as :func:`normal_name` keys.

    The name itself and, for a name of several words, its initials ("United
    Kingdom": UK); for an inverted name ("Korea, Democratic People's Republic
    of") also the name in order ("Democratic People's Republic of Korea"), its
    initials ("DPRK"), and the head word with the initials of the rest ("Korea
    DPR"). The forms come from the names the data hold, so no alias is typed in;
    a code of another country wins over initials that spell it.
    """
    forms = {normal_name(name)}
    words = [w for w in normal_name(name).split() if w not in _MINOR_WORDS]
    if len(words) > 1 and "," not in name:
        forms.add("".join(w[0] for w in words))
    head, comma, rest = name.partition(",")
    if comma and rest.strip():
        in_order = f"{rest.strip()} {head.strip()}"
        forms.add(normal_name(in_order))
        initials = "".join(w[0] for w in normal_name(in_order).split() if w not in _MINOR_WORDS)
        rest_initials = "".join(w[0] for w in normal_name(rest).split() if w not in _MINOR_WORDS)
        if len(initials) > 1:
            forms.add(initials)
        if rest_initials:
            forms.add(normal_name(f"{head} {rest_initials}"))
    return {form for form in forms if form}


@dataclass(frozen=True)
class CountryNames:
    """Every way the data name a country: ``keys`` (a :func:`normal_name` key -> ISO3) and ``shown``
    (ISO3 -> the name the latest GSI edition prints)."""

    keys: dict[str, str]
    shown: dict[str, str]

    def find(self, value: object) -> str | None:
        """The ISO3 code ``value`` names: a code (ISO3 or ISO alpha-2, any case), a name or a form of
        one (see :func:`name_forms`); None if it names none."""
        return self.keys.get(normal_name(str(value))) if isinstance(value, str) else None

    def matching(self, text: str) -> list[str]:
        """The ISO3 codes any of whose names or forms contains ``text`` (any case), sorted."""
        key = normal_name(text)
        return sorted({code for name, code in self.keys.items() if key and key in name})

    @classmethod
    def of(cls, names: list[tuple[str, str]], shown: dict[str, str],
           codes: dict[str, str] | None = None) -> CountryNames:
        """The names of ``names`` (``(name, ISO3)`` pairs, each with its forms), after ``codes`` (a key
        -> ISO3), which win over a form that spells them; ``shown`` names each ISO3."""
        keys = dict(codes or {})
        for code in shown:
            keys.setdefault(normal_name(code), code)
        for name, code in names:
            for form in name_forms(name):
                keys.setdefault(form, code)
        return cls(keys, shown)

    def suggest(self, value: object, n: int = 3) -> list[str]:
        """Up to ``n`` codes whose names are closest to ``value`` (for "did you mean ...?")."""
        key = normal_name(str(value))
        close = difflib.get_close_matches(key, list(self.keys), n=12, cutoff=0.6)
        close.sort(key=lambda k: sorted(k) != sorted(key))  # letters swapped ("PKR") first; stable
        codes: list[str] = []
        for key in close:
            if self.keys[key] not in codes:
                codes.append(self.keys[key])
        return codes[:n]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def country_names(paths: ProjectPaths | None = None) -> CountryNames:
    """Every name and code of every country of the GSI, from ``data/processed`` and the raw code lists.

    Read with the csv module (a build that only names a country needs no pandas);
    the raw files are checked against their sha256 first. Only countries in the
    GSI are named: a code of the ISO list that no edition uses matches nothing.
    """
    from .manifest import load_manifest, verify_checksum

    paths = paths or project_paths()
    processed = paths.processed / "gsi_country_edition.csv"
    if not processed.exists():
        raise AnalysisError("data/processed/gsi_country_edition.csv is missing: build it with "
                            "`python -m analysis data`")
    manifest = load_manifest(paths)
    shown: dict[str, str] = {}
    names: list[tuple[str, str]] = []
    for row in _rows(processed):
        shown[row["iso3"]] = row["country"]
        names += [(row["country"], row["iso3"]), (row["name_as_published"], row["iso3"])]
    for row in _rows(verify_checksum(manifest[CODES_FILE], paths)):
        names += [(row["name"], row["iso3"]), (row["iso_name"], row["iso3"])]
    codes: dict[str, str] = {}
    for row in _rows(verify_checksum(manifest[ISO_FILE], paths)):
        if row["alpha_3"] in shown:
            codes[normal_name(row["alpha_3"])] = codes[normal_name(row["alpha_2"])] = row["alpha_3"]
            names.append((row["name"], row["alpha_3"]))
    return CountryNames.of(names, shown, codes)


def resolve_country(value: object, names: CountryNames) -> str:
    """The ISO3 code of the country ``value`` names (see :meth:`CountryNames.find`).

    Raises :class:`ParameterError` in one short line: what was given, and the
    nearest countries ("did you mean BRA (Brazil)?").
    """
    code = names.find(value)
    if code is not None:
        return code
    near = names.suggest(value)
    hint = (f"did you mean {' or '.join(f'{c} ({names.shown[c]})' for c in near)}? " if near else "")
    raise ParameterError(f"{value!r} names no country of the GSI; {hint}"
                         "`python -m analysis countries TEXT` lists the codes")
