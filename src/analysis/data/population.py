"""Population figures for one country from every source and revision the compendium holds.

All values are persons. Sources: the World Bank SP.POP.TOTL vintages (North
Korea only), UN WPP 2019 for 2020 (every country), and the population each GSI
edition printed.

Every population must also be plausible for its country: within a factor
:data:`PLAUSIBLE_FACTOR` of UN WPP 2019's figure for 2020. The GSI editions print
populations for 2015 and 2020 from WPP revisions 2015 to 2019; all 524 of them lie
between 0.60 (Equatorial Guinea, GSI 2016) and 1.47 (Eritrea, GSI 2016) times that
figure, so a factor of 2 catches a slip of a digit (Palau's 18,000 typed as
180,000,000) without refusing any revision.
"""

from __future__ import annotations

import pandas as pd

from ..errors import RawDataError
from ..paths import ProjectPaths
from .countries import iso_names
from .raw_io import read_raw

WB_FILE = "population_prk_worldbank_vintages.csv"
UN_FILE = "population_un_wpp2019_2020.csv"
#: The reference year of the population each GSI edition printed (see MANIFEST notes).
GSI_POPULATION_YEAR = {2016: 2015, 2018: 2015, 2023: 2020}
COLUMNS = ["iso3", "source", "vintage", "year", "population"]
#: A population more than this many times above or below UN WPP 2019's (2020) is refused.
PLAUSIBLE_FACTOR = 2.0
#: OWID's codes for places without an ISO code, as the compendium codes them.
OWID_CODES = {"OWID_KOS": "XKX"}


def un_reference(paths: ProjectPaths | None = None) -> dict[str, tuple[int, int]]:
    """``{ISO3: (population in 2020, persons; line in the UN file)}`` from UN WPP 2019.

    Three-letter codes must be ISO 3166-1 codes, each at most once; OWID's code
    for Kosovo counts as XKX. Aggregates (no code) are left out.
    """
    un = read_raw(UN_FILE, paths)
    names = iso_names(paths)
    out: dict[str, tuple[int, int]] = {}
    for idx, (code, population) in enumerate(zip(un["iso_code"], un["population"])):
        if pd.isna(code):
            continue
        iso3 = OWID_CODES.get(code, code)
        if len(code) == 3 and code not in names:
            raise RawDataError(UN_FILE, f"{code!r} is not an ISO 3166-1 alpha-3 code",
                               line=idx + 2, column="iso_code")
        if iso3 in out:
            raise RawDataError(UN_FILE, f"{code} appears twice (also line {out[iso3][1]}): codes "
                               "must be unique", line=idx + 2, column="iso_code")
        if code.startswith("OWID_") and code not in OWID_CODES:
            continue
        out[iso3] = (int(population), idx + 2)
    return out


def check_plausible(populations: pd.Series, iso3: pd.Series, file: str,
                    reference: dict[str, tuple[int, int]], column: str = "population") -> None:
    """Check each population (persons) against UN WPP 2019 for its country (see the module notes).

    ``populations`` and ``iso3`` are in the row order of raw ``file``, so that the
    error names its line; blanks and countries the UN file lacks are skipped.
    """
    for idx, (population, code) in enumerate(zip(populations, iso3)):
        if pd.isna(population) or pd.isna(code) or code not in reference:
            continue
        expected, un_line = reference[code]
        if not expected / PLAUSIBLE_FACTOR <= population <= expected * PLAUSIBLE_FACTOR:
            raise RawDataError(
                file, f"population {int(population):,} persons is implausible for {code}: it is "
                f"not within a factor {PLAUSIBLE_FACTOR:g} of UN WPP 2019's {expected:,} for 2020 "
                f"({UN_FILE}, line {un_line})", line=idx + 2, column=column)


def population_sources(long: pd.DataFrame, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Every population figure by source, vintage and reference year, for all countries held.

    Returns columns ``iso3, source, vintage, year, population`` (persons), sorted.
    The World Bank figures are checked with :func:`check_plausible` first.
    """
    wb = read_raw(WB_FILE, paths)
    check_plausible(wb["population"], wb["iso3"], WB_FILE, un_reference(paths))
    wb_rows = pd.DataFrame({"iso3": wb["iso3"], "source": "World Bank WDI",
                            "vintage": wb["vintage_date"].str.slice(0, 7),
                            "year": wb["year"], "population": wb["population"]})
    # The same vintage can be stored twice; keep one row per vintage and year.
    wb_rows = wb_rows.drop_duplicates(["iso3", "vintage", "year"])
    un = read_raw(UN_FILE, paths)
    un = un[un["iso_code"].notna() & (un["iso_code"].str.len() == 3)]
    un_rows = pd.DataFrame({"iso3": un["iso_code"], "source": "UN WPP", "vintage": "2019",
                            "year": un["year"], "population": un["population"]})
    gsi = long[long["population"].notna()]
    gsi_rows = pd.DataFrame({"iso3": gsi["iso3"], "source": "GSI " + gsi["edition"].astype(str),
                             "vintage": gsi["edition"].astype(str),
                             "year": gsi["edition"].map(GSI_POPULATION_YEAR),
                             "population": gsi["population"]})
    out = pd.concat([wb_rows, un_rows, gsi_rows], ignore_index=True)
    out = out.astype({"iso3": "string", "source": "string", "vintage": "string",
                      "year": "Int64", "population": "Int64"})
    return out.sort_values(COLUMNS[:4], kind="mergesort").reset_index(drop=True)[COLUMNS]
