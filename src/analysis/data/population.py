"""Population figures for one country from every source and revision the compendium holds.

All values are persons. Sources: the World Bank SP.POP.TOTL vintages (North
Korea only), UN WPP 2019 for 2020 (every country), and the population each GSI
edition printed.
"""

from __future__ import annotations

import pandas as pd

from ..paths import ProjectPaths
from .raw_io import read_raw

WB_FILE = "population_prk_worldbank_vintages.csv"
UN_FILE = "population_un_wpp2019_2020.csv"
#: The reference year of the population each GSI edition printed (see MANIFEST notes).
GSI_POPULATION_YEAR = {2016: 2015, 2018: 2015, 2023: 2020}
COLUMNS = ["iso3", "source", "vintage", "year", "population"]


def population_sources(long: pd.DataFrame, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Every population figure by source, vintage and reference year, for all countries held.

    Returns columns ``iso3, source, vintage, year, population`` (persons), sorted.
    """
    wb = read_raw(WB_FILE, paths)
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
