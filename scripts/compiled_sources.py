"""Facts compiled from documents rather than extracted from a data file, each with its source.

Used by ``scripts/extract_raw.py`` to write two raw files:

* ``tip_tier_history.csv``: North Korea's tier in each US Trafficking in Persons
  (TIP) report, each year with the document that states it and a short verbatim
  quote. ``source_type`` says what kind of document it is: ``report`` (the
  report's own country narrative, as republished), ``news`` (a news report of
  that year's placement) or ``count`` (a later news report counting the
  consecutive years on Tier 3, used where no source for the year itself was
  found). The quotes were read in stored copies of the pages named; the one for
  2023 is also checked against the document in ``../shared/seeds``.
* ``evidence_statements.csv``: statements from the documents this compendium
  started from (``../shared/seeds``), each with the value it gives (if any),
  the publication to cite, and a verbatim quote that the extraction checks
  against the document.
* Some rows of ``published_regional_estimates.csv``: regional figures whose
  sentence the held excerpts of web pages shorten or leave out
  (:data:`REGIONAL_FROM_STORED_PAGES`). Their quotes were read in stored copies
  of the pages, like the TIP quotes; the other rows of that file are checked
  against the held excerpts by ``scripts/extract_raw.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

#: (report year, tier, source type, title, publisher, url, quote)
TIP_REPORTS = [
    (2003, "Tier 3", "report", "Trafficking in Persons Report 2003: North Korea",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "https://www.refworld.org/reference/annualreport/usdos/2003/en/43809", "North Korea (Tier 3)"),
    (2004, "Tier 3", "news", "North Korea Classified in Lowest Tier for Human Trafficking",
     "Dong-A Ilbo, 15 June 2004", "https://www.donga.com/en/article/all/20040615/235589/1",
     "North Korea, which was classified as Tier 3"),
    (2005, "Tier 3", "report", "Trafficking in Persons Report 2005: North Korea",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "https://www.refworld.org/reference/annualreport/usdos/2005/en/44141", "North Korea (Tier 3)"),
    (2006, "Tier 3", "news", "12 Nations Cited for Human Trafficking", "Futures Without Violence, 2006",
     "http://www.futureswithoutviolence.org/content/features/detail/973/",
     "The new report places 12 worst offender nations in Tier 3: Belize, Burma, Cuba, Iran, Laos, "
     "North Korea"),
    (2007, "Tier 3", "report", "Trafficking in Persons Report 2007: North Korea",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "http://www.refworld.org/cgi-bin/texis/vtx/rwmain?page=topic&tocid=4565c22535&toid=4565c25f42b"
     "&publisher=&type=&coi=PRK&docid=467be3cd33&skip=0", "North Korea (Tier 3)"),
    (2008, "Tier 3", "report", "Trafficking in Persons Report 2008: North Korea",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "http://www.refworld.org/country,,,ANNUALREPORT,PRK,4562d8cf2,484f9a32c,0.html",
     "NORTH KOREA (Tier 3)"),
    (2009, "Tier 3", "news", "North and South Korea According to the 2009 Trafficking in Persons Report",
     "Free Korea, June 2009",
     "https://staging.freekorea.us/2009/06/north-and-south-korea-according-to-the-2009-trafficking-"
     "in-persons-report/", "The DPRK remains a Tier 3 country"),
    (2010, "Tier 3", "news", "US State Department releases 2010 Trafficking in Persons Report (TIP)",
     "North Korean Economy Watch, 17 June 2010",
     "http://www.nkeconwatch.com/2010/06/17/us-state-department-releases-2010-trafficking-in-persons-"
     "report-tip/", "once again classifying North Korea as \u201cTier 3,\u201d"),
    (2011, "Tier 3", "report", "2011 Trafficking in Persons Report: Korea, Democratic People's Republic of",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "http://www.refworld.org/cgi-bin/texis/vtx/rwmain?page=country&category=&publisher=USDOS&type="
     "&coi=PRK&rid=&docid=4e12ee6dc&skip=0", "Korea, Democratic People's Republic of (Tier 3)"),
    (2012, "Tier 3", "report", "Trafficking in Persons Report 2012: Korea, Democratic People's Republic of",
     "U.S. Department of State (republished by ecoi.net)", "https://www.ecoi.net/de/dokument/1035528.html",
     "KOREA, DEMOCRATIC PEOPLE\u2019S REPUBLIC OF (Tier 3)"),
    (2013, "Tier 3", "news", "State Department Downgrades China, Russia on Human Trafficking",
     "Foreign Policy, 19 June 2013",
     "http://blog.foreignpolicy.com/posts/2013/06/19/state_department_downgrades_china_russia_on_human_"
     "trafficking", "joining the ranks of North Korea, Saudi Arabia, and the Democratic Republic of Congo"),
    (2014, "Tier 3", "news", "N.K. ranked at bottom of human trafficking report",
     "The Korea Herald (Yonhap), 2014",
     "http://www.koreaherald.com/view.php?ud=20140622000216",
     "In the 2014 Trafficking in Persons Report, the State Department kept North Korea at Tier 3"),
    (2015, "Tier 3", "news", "North Korea is 'source country' for forced labor, sex trafficking, says report",
     "UPI, 27 July 2015",
     "http://www.upi.com/Top_News/World-News/2015/07/27/North-Korea-is-source-country-for-forced-labor-"
     "sex-trafficking-says-report/7341438047430/", "North Korea is a \"Tier 3\" country"),
    (2016, "Tier 3", "count", "US names North Korea worst human trafficking nation for 16th consecutive year",
     "The Straits Times (Yonhap), 2018",
     "https://www.straitstimes.com/asia/east-asia/us-names-north-korea-worst-human-trafficking-nation-"
     "for-16th-consecutive-year", "worst human trafficking nation for 16th consecutive year"),
    (2017, "Tier 3", "report", "2017 Trafficking in Persons Report: Korea, Democratic People's Republic of",
     "U.S. Department of State (republished by UNHCR Refworld)",
     "https://webarchive.archive.unhcr.org/20221023185059mp_/https://www.refworld.org/publisher,USDOS,,"
     "PRK,5959ecab4,0.html", "the DPRK remained on Tier 3"),
    (2018, "Tier 3", "report", "Trafficking in Persons Report 2018: Democratic People's Republic of Korea",
     "U.S. Department of State (republished by ecoi.net)", "https://www.ecoi.net/en/document/362236",
     "KOREA, DEMOCRATIC PEOPLE\u2019S REPUBLIC OF: Tier 3"),
    (2019, "Tier 3", "report", "2019 Trafficking in Persons Report: Democratic People's Republic of Korea",
     "U.S. Department of State (republished by ecoi.net)", "https://www.ecoi.net/en/document/2010789.html",
     "KOREA, DEMOCRATIC PEOPLE\u2019S REPUBLIC OF: Tier 3"),
    (2020, "Tier 3", "report", "Trafficking in Persons Report 2020: North Korea",
     "U.S. Department of State (extract republished by gvnet.com)",
     "http://gvnet.com/humantrafficking/NorthKorea-2.htm",
     "NORTH KOREA (Tier 3) Extracted from the U.S. State Dept 2020 TIP Report"),
    (2021, "Tier 3", "news", "U.S. shortlists N. Korea among worst nations in trafficking of humans",
     "Yonhap News Agency, 1 July 2021", "https://m-en.yna.co.kr/view/AEN20210701012500325",
     "North Korea also remains on the lowest Tier 3 in this year's human trafficking report"),
    (2022, "Tier 3", "news", "S. Korea downgraded to Tier 2 in annual U.S. human trafficking report",
     "Yonhap News Agency, 20 July 2022", "https://en.yna.co.kr/view/AEN20220720001051325",
     "North Korea remained in the lowest category of Tier 3 for the 20th straight year"),
    (2023, "Tier 3", "report", "Trafficking in Persons Report 2023: North Korea",
     "U.S. Department of State (extract republished by gvnet.com)",
     "http://gvnet.com/humantrafficking/NorthKorea-2.htm",
     "NORTH KOREA (Tier 3) Extracted in part from the U.S. State Dept 2023 TIP Report"),
    (2024, "Tier 3", "count", "North Korea classified Tier 3 for the 23rd consecutive year",
     "News1 Korea, 2025", "https://news1global.com/northkorea/article/431169",
     "as Tier 3\u2014the lowest possible rating\u2014for the 23rd consecutive year"),
    (2025, "Tier 3", "news", "North Korea classified Tier 3 for the 23rd consecutive year",
     "News1 Korea, 2025", "https://news1global.com/northkorea/article/431169",
     "On Monday, the State Department released its 2025 Trafficking in Persons Report"),
]

#: Seed documents (in ``../shared/seeds``) that a TIP row's quote must also be found in.
TIP_SEEDS = {2023: "001_3fb834e3cfccdeb3.txt"}

#: (key, value_low, value_high, unit, bibliography key, seed document, quote, url); a row without a seed
#: document was read in the stored copy of its url, on :data:`EVIDENCE_ACCESSED`.
EVIDENCE = [
    ("defectors_interviewed", "50", "50", "persons", "dcnf2018", "002_022e017993eeb40f.txt",
     "The group interviewed 50 North Korean defectors",
     "https://nationalinterest.org/blog/buzz/26-million-slaves-north-korea-modern-slavery-capital-world-26211"),
    ("not_surveyable", "", "", "", "breuker2018", "003_657ceb43b6714f31.txt",
     "it is not possible to directly survey or otherwise undertake data collection within North Korea",
     "https://www.walkfreefoundation.org/news/resource/north-korea-report/"),
    ("state_imposed_forced_labour", "", "", "", "tip2023", "001_3fb834e3cfccdeb3.txt",
     "there was a government policy or pattern of human trafficking in prison camps as part of an "
     "established system of political repression, as well as in labor training centers, in the mass "
     "mobilizations of adults and children, and in the imposition of forced labor conditions on DPRK "
     "overseas workers", "https://www.state.gov/reports/2023-trafficking-in-persons-report/"),
    ("political_prisoners", "80000", "120000", "persons", "tip2014", "004_3fbf6e35a780f01b.txt",
     "North Korea holds an estimated 80,000 to 120,000 prisoners in political prison camps",
     "https://2009-2017.state.gov/j/tip/rls/tiprpt/2014/index.htm"),
    ("overseas_workers", "", "", "", "tip2014", "004_3fbf6e35a780f01b.txt",
     "Workers' salaries are deposited into accounts controlled by the North Korean government",
     "https://2009-2017.state.gov/j/tip/rls/tiprpt/2014/index.htm"),
    ("tip2014_dating", "", "", "", "koreaherald2014", "004_3fbf6e35a780f01b.txt",
     "If found by Chinese authorities, victims are forcibly repatriated to North Korea where they are "
     "subject to harsh punishment, including forced labor in DPRK labor camps or the death penalty",
     "http://www.koreaherald.com/view.php?ud=20140622000216"),
    ("tip2012_prisoners", "130000", "200000", "persons", "tip2012", "",
     "North Korea is estimated to hold between 130,000 and 200,000 prisoners in political prison camps",
     "https://www.ecoi.net/de/dokument/1035528.html"),
    ("snapshot_population_2021", "25778815", "25778815", "persons", "walkfree2023snapshot",
     "000_24ece3713c0da9ce.txt",
     "Population (2021) 25,778,815", "https://www.walkfree.org/global-slavery-index/downloads/"),
]


def _normalise(text: str) -> str:
    """Fold white space and typographic quotes, so a quote matches across line breaks."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def check_quote(quote: str, document: Path) -> None:
    """Raise ``ValueError`` unless ``quote`` appears in ``document`` (white space folded)."""
    if _normalise(quote) not in _normalise(document.read_text(encoding="utf-8")):
        raise ValueError(f"quote not found in {document.name}: {quote!r}")


#: The day the stored copies of the pages were read: when the rows were compiled (commit bcbad97), or a
#: later day on which the copy was read again.
TIP_ACCESSED = "2026-11-28"
TIP_REREAD = {2020: "2026-12-01", 2023: "2026-12-01"}
#: Stable archives: a page there keeps its text, so the source address is itself the stable copy.
STABLE_HOSTS = ("refworld.org", "ecoi.net", "webarchive.archive.unhcr.org")
#: Years whose stored copy of the source page now holds another year's text.
OVERWRITTEN = {2023: "the stored copy of source_url now holds the 2020 text (the page was overwritten); "
                     "the quote was checked against the seed document 001_3fb834e3cfccdeb3.txt, a copy "
                     "of the page taken when it held the 2023 text"}

#: Pages cited by several rows for different quotes that the one stored text holds together.
SHARED_PAGES = {"https://news1global.com/northkorea/article/431169":
                "one article, read once, gives both quotes (the 2025 report's release, and the count of "
                "consecutive years)"}


#: The GSI 2018 chapter "Regional findings", on Walk Free's site for that edition.
REGIONAL_FINDINGS_2018 = "https://www.globalslaveryindex.org/2018/findings/regional-analysis/regional-findings/"
#: The GSI 2023 regional overview, on Walk Free's site.
OVERVIEW_2023 = "https://www.walkfree.org/global-slavery-index/findings/regional-findings/overview/"
_LABOUR_2018 = ("For forced labour, Asia and the Pacific had the highest prevalence (4.0 victims for every "
                "1,000 people), followed by Europe and Central Asia (3.6) and Africa (2.8). The prevalence "
                "of forced labour was lowest in the Arab States (2.2 victims) and the Americas "
                "(1.3 victims).")
_MARRIAGE_2018 = ("The prevalence of forced marriage was highest in Africa (4.8 victims), followed by Asia "
                  "and the Pacific region (2.0 victims), and the Arab States (1.1 victims). The prevalence "
                  "was lowest in the Americas (0.7 per 1,000 people) and Europe and Central Asia "
                  "(0.4 victims).")
_MARRIAGE_2023 = ("For forced marriage, prevalence is again highest in the Arab States (4.8 per thousand), "
                  "followed by Asia and the Pacific (3.3 per thousand), and lowest in the Americas "
                  "(1.5 per thousand).")
_PER_1000 = "per 1,000 population"

#: (edition, reference year, region, indicator, value as printed, unit, url, verbatim quote, what the held
#: excerpts of web pages lack): figures read in stored copies of the pages, on :data:`REGIONAL_ACCESSED`.
REGIONAL_FROM_STORED_PAGES = [
    *((2018, 2016, region, "forced_labour_per_1000", value, _PER_1000, REGIONAL_FINDINGS_2018, _LABOUR_2018,
       "the held excerpts give these figures in a summary, not the sentence")
      for region, value in (("Asia and the Pacific", "4.0"), ("Europe and Central Asia", "3.6"),
                            ("Africa", "2.8"), ("Arab States", "2.2"), ("Americas", "1.3"))),
    *((2018, 2016, region, "forced_marriage_per_1000", value, _PER_1000, REGIONAL_FINDINGS_2018,
       _MARRIAGE_2018, "the held excerpts summarise the sentence and stop after Asia and the Pacific")
      for region, value in (("Africa", "4.8"), ("Asia and the Pacific", "2.0"), ("Arab States", "1.1"),
                            ("Americas", "0.7"), ("Europe and Central Asia", "0.4"))),
    (2023, 2021, "Americas", "forced_marriage_per_1000", "1.5", _PER_1000, OVERVIEW_2023, _MARRIAGE_2023,
     "the held excerpts do not include the page"),
]
#: The day the stored copies of those pages were read.
REGIONAL_ACCESSED = "2026-12-01"


def regional_rows() -> list[tuple[int, int, str, str, str, str, str, str, str]]:
    """The regional figures read in stored copies of pages: each row of :data:`REGIONAL_FROM_STORED_PAGES`,
    its last field replaced by how its quote was checked (the ``quote_checked`` of the raw file).

    Raises ``ValueError`` if a value is not printed in its quote, in parentheses as the pages print them.
    """
    rows = []
    for *fields, lacking in REGIONAL_FROM_STORED_PAGES:
        value, quote = fields[4], fields[7]
        if not re.search(rf"\({re.escape(value)}[ )]", quote):
            raise ValueError(f"{fields[2]} {fields[3]}: value {value} is not in its quote {quote!r}")
        rows.append((*fields, f"against the stored copy of source_url, read {REGIONAL_ACCESSED}; {lacking}"))
    return rows


def report_page(year: int) -> str:
    """The address of the TIP report of ``year`` on the State Department's own sites (its landing page).

    Reports to 2016 are kept on the archived site of 2009-2017; later ones on
    www.state.gov. The address follows each site's pattern (seen for 2005,
    2014 and 2023); it is the report's own page, not a page read here.
    """
    if year <= 2016:
        return f"https://2009-2017.state.gov/j/tip/rls/tiprpt/{year}/index.htm"
    return f"https://www.state.gov/reports/{year}-trafficking-in-persons-report/"


def tip_rows(seeds: Path | None) -> list[list[str]]:
    """The rows of ``tip_tier_history.csv``; quotes of seeded years checked when ``seeds`` is given.

    Each row has the day its page was read (``accessed``), a stable copy
    (``stable_url``: the archive's address where the source is an archive, else
    the report's own page) and how its quote was checked (``quote_checked``).
    Two rows that cite one page for two texts are refused unless
    :data:`OVERWRITTEN` says why.
    """
    rows, pages = [], {}
    for year, tier, kind, title, publisher, url, quote in TIP_REPORTS:
        if seeds is not None and year in TIP_SEEDS:
            check_quote(quote, seeds / TIP_SEEDS[year])
        pages.setdefault(url, []).append((year, quote))
        stable = url if any(host in url for host in STABLE_HOSTS) else report_page(year)
        checked = OVERWRITTEN.get(year, "against the stored copy of source_url" + (
            f"; {SHARED_PAGES[url]}" if url in SHARED_PAGES else ""))
        rows.append(["PRK", str(year), tier, kind, title, publisher, url, quote,
                     TIP_REREAD.get(year, TIP_ACCESSED), stable, checked])
    for url, uses in pages.items():
        texts = {q for _, q in uses}
        unexplained = [y for y, _ in uses if y not in OVERWRITTEN]
        if len(texts) > 1 and len(unexplained) > 1 and url not in SHARED_PAGES:
            raise ValueError(f"{url} is cited for {len(texts)} different texts (years "
                             f"{[y for y, _ in uses]}) without saying why in OVERWRITTEN or SHARED_PAGES")
    return rows


#: The day the stored copies of the pages of the evidence rows without a seed document were read.
EVIDENCE_ACCESSED = "2026-12-02"


def evidence_rows(seeds: Path) -> list[list[str]]:
    """The rows of ``evidence_statements.csv``: each quote checked against its seed document, or, for a row
    without one, marked as read in the stored copy of its url (the ``quote_checked`` of the raw file)."""
    rows = []
    for key, low, high, unit, cite, document, quote, url in EVIDENCE:
        if document:
            check_quote(quote, seeds / document)
            checked = f"against the seed document, {document}"
        else:
            checked = f"against the stored copy of url, read {EVIDENCE_ACCESSED}"
        for value in (low, high):
            if value and f"{int(value):,}" not in quote and value not in quote:
                raise ValueError(f"{key}: value {value} is not in its quote {quote!r}")
        rows.append([key, low, high, unit, cite, document, quote, url, checked])
    return rows
