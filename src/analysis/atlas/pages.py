"""The atlas's pages: an index of every country and one page per country, offline.

Plain HTML written with the standard library: the style sheet and the script
(sorting and filtering the table) are inside the page, and every image is a
file of the atlas, linked by a relative address, so the pages work from the
disk with no network. Two builds of the same atlas give the same bytes.
"""

from __future__ import annotations

from html import escape

#: The figures of a country page, in order, with their headings (the figures have no title of their
#: own); ``{region}`` is the country's region.
FIGURE_TITLES = {
    "prevalence": "Prevalence across {region} (per 1,000 population)",
    "map": "Prevalence on a map of {region}",
    "number": "Number of people in modern slavery across {region}",
    "vulnerability": "Vulnerability by dimension against the average of {region} (score 0 to 100)",
    "response": "Government response by milestone against the average of {region} (per cent)",
}

_STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 1.5rem; color: #222; max-width: 75rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: middle; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: bold; border: none; background: none; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.controls { margin: 1rem 0; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.muted { color: #777; font-style: italic; }
img.thumb { max-width: 140px; max-height: 100px; display: block; }
figure { margin: 0 0 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { color: #555; } dd { margin: 0; }
"""

_SCRIPT = """
const table = document.getElementById("countries");
const body = table.tBodies[0];
const rows = Array.from(body.rows);
const search = document.getElementById("search");
const region = document.getElementById("region");
const shown = document.getElementById("shown");
function filter() {
  const text = search.value.trim().toLowerCase();
  let n = 0;
  for (const row of rows) {
    const hit = (!text || row.dataset.text.includes(text))
      && (!region.value || row.dataset.region === region.value);
    row.hidden = !hit;
    if (hit) n += 1;
  }
  shown.textContent = n;
}
function sortBy(th) {
  const column = th.cellIndex;
  const numeric = th.classList.contains("n");
  const descending = th.getAttribute("aria-sort") === "ascending";
  for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const key = (row) => row.cells[column].dataset.sort;
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    if (x === "" || y === "") return (x === "") - (y === "");
    const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
    return descending ? -order : order;
  });
  for (const row of rows) body.appendChild(row);
}
for (const th of table.tHead.rows[0].cells) {
  const button = th.querySelector("button");
  if (button) button.addEventListener("click", () => sortBy(th));
}
search.addEventListener("input", filter);
region.addEventListener("change", filter);
filter();
"""


def _number(value: object, decimals: int = 0, missing: str = "no estimate") -> str:
    if value is None:
        return f'<span class="muted">{escape(missing)}</span>'
    return f"{float(value):,.{decimals}f}"


def _sort_key(value: object) -> str:
    return "" if value is None else repr(float(value))


def _page(title: str, body: str, script: str = "") -> str:
    tail = f"<script>{script}</script>\n" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n{tail}"
            f"</body>\n</html>\n")


#: Index columns: (heading, key of the key numbers, decimals, numeric, text for a missing value).
_COLUMNS = (
    ("Prevalence (per 1,000)", "prevalence_per_1000", 1, "no estimate"),
    ("Number (persons)", "estimated_number", 0, "below 1,000"),
    ("Vulnerability (0-100)", "vulnerability_total", 1, "no score"),
    ("Government response (%)", "govt_total_pct", 1, "not assessed"),
)


def index_page(countries: list[dict], edition: int) -> str:
    """The index: a sortable, filterable table of ``countries`` (key numbers of each), with thumbnails."""
    regions = sorted({c["region"] for c in countries})
    options = "".join(f'<option value="{escape(r)}">{escape(r)}</option>' for r in regions)
    head = ('<tr><th>Map</th><th><button type="button">Country</button></th>'
            '<th><button type="button">ISO3</button></th><th><button type="button">Region</button></th>'
            + "".join(f'<th class="n"><button type="button">{escape(h)}</button></th>' for h, *_ in _COLUMNS)
            + "</tr>")
    rows = []
    for c in sorted(countries, key=lambda c: c["name"]):
        code, name, region = escape(c["country"]), escape(c["name"]), escape(c["region"])
        cells = "".join(f'<td class="n" data-sort="{_sort_key(c.get(key))}">'
                        f"{_number(c.get(key), decimals, missing)}</td>"
                        for _, key, decimals, missing in _COLUMNS)
        rows.append(f'<tr data-text="{escape((c["country"] + " " + c["name"]).lower())}" '
                    f'data-region="{region}">'
                    f'<td><a href="{code}/index.html"><img class="thumb" src="{code}/thumbnail.png" '
                    f'alt="Map of {region} with {name} outlined" loading="lazy"></a></td>'
                    f'<td data-sort="{name}"><a href="{code}/index.html">{name}</a></td>'
                    f'<td data-sort="{code}">{code}</td><td data-sort="{region}">{region}</td>{cells}</tr>')
    body = (f"<h1>Global Slavery Index {edition}: the country snapshot of every country</h1>\n"
            f"<p>{len(countries)} countries with a prevalence estimate in the Walk Free Global Slavery "
            f"Index {edition}. Each page has the four figures of the country snapshot, a map and the key "
            "numbers, as <code>notebooks/01_country_snapshot.ipynb</code> draws them; built by "
            "<code>python -m analysis atlas</code>. Click a heading to sort; type to filter.</p>\n"
            '<div class="controls"><label>Country or code <input id="search" type="search"></label>'
            f'<label>Region <select id="region"><option value="">All regions</option>{options}'
            '</select></label><span>Showing <span id="shown"></span> of '
            f"{len(countries)}</span></div>\n"
            f'<table id="countries">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody>\n</table>")
    return _page(f"GSI {edition} atlas", body, _SCRIPT)


def country_page(values: dict, figures: list[str], tables: list[str]) -> str:
    """A country's page: its key numbers, its figures (PNG) and its tables."""
    v = values
    name, code, edition = escape(v["name"]), escape(v["country"]), v["edition"]
    response = (_number(v.get("govt_total_pct"), 1, "not assessed")
                + f" (regional average {_number(v.get('govt_total_pct_regional_average'), 1)})")
    facts = [
        ("Region", escape(v["region"])),
        ("Prevalence", f"{_number(v.get('prevalence_per_1000'), 1)} per 1,000 population "
                       f"(region: {_number(v.get('regional_prevalence_per_1000'), 1)})"),
        ("Rank in the region by prevalence", f"{v['rank_in_region']} of {v['countries_in_region']}"),
        ("People in modern slavery", _number(v.get("estimated_number"), 0, "below 1,000")),
        ("Population", _number(v.get("population"), 0, "not given")),
        ("Vulnerability (0-100)", f"{_number(v.get('vulnerability_total'), 1, 'no score')} (regional "
                                  f"average {_number(v.get('vulnerability_total_regional_average'), 1)})"),
        ("Government response (%)", response),
    ]
    facts_html = "".join(f"<dt>{k}</dt><dd>{d}</dd>" for k, d in facts)
    headings = {f: escape(FIGURE_TITLES.get(f, f).format(region=v["region"])) for f in figures}
    figures_html = "".join(
        f'<h2>{headings[f]}</h2>\n<figure><img src="figures/{f}.png" '
        f'alt="{headings[f]}, {name}, GSI {edition}"></figure>\n' for f in figures)
    tables_html = ", ".join(f'<a href="tables/{t}.csv">{t}.csv</a>' for t in tables)
    body = (f'<p><a href="../index.html">All countries</a></p>\n'
            f"<h1>{name} ({code}): Global Slavery Index {edition}</h1>\n<dl>{facts_html}</dl>\n"
            f"{figures_html}<h2>Data</h2>\n<p>Tables: {tables_html}; key numbers: "
            '<a href="values.json">values.json</a> (missing values are <code>null</code>).</p>')
    return _page(f"{v['name']}, GSI {edition}", body)
