"""One country of the atlas: its snapshot figures, tables, key numbers, thumbnail and page.

``python -m analysis atlas`` builds, for each country with a prevalence estimate
in a GSI edition, ``results/atlas/<ISO3>/`` (``results/atlas-<edition>/`` for an
edition other than the latest): the five figures of the snapshot notebook as PNG
(drawn from :mod:`analysis.figures.snapshot` and encoded by
:func:`~analysis.figures.png.write_png`, so they are the notebook's PNG files,
byte for byte), its four tables, its key numbers (``values.json``), a thumbnail
and a page. The SVG versions of the figures are written by the notebook runs
only: drawing them took as long again as everything else, and the pages show PNG.

Each country is drawn in a worker process of the executor (:func:`start_worker`
loads what every country needs once per worker, with matplotlib's Agg backend),
into the staging folder of its step. A worker draws the base of each of a
region's charts once and only each country's overlay on its pixels
(:class:`~analysis.figures.layers.Bases`), which gives the pixels of the whole
figure drawn afresh. Its key numbers are checked against ``data/processed`` as
it is built (:mod:`analysis.analyses.published`).
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..atomic import write_text
from ..errors import AnalysisError, ParameterError
from ..paths import ProjectPaths, project_paths

PAGE = "index.html"
THUMBNAIL = "thumbnail.png"
#: Width and height (pixels) a thumbnail fits in.
THUMBNAIL_SIZE = (200, 140)
TABLE = "gsi_country_edition.csv"


def estimates(paths: ProjectPaths, edition: int) -> dict[str, dict[str, str]]:
    """``{iso3: row}`` of the countries with an estimate in ``edition``, read from ``data/processed``.

    Read with the csv module, not pandas: it lists the countries of a build with
    nothing to do quickly, and checks the key numbers by a second route.
    """
    with open(paths.processed / TABLE, newline="", encoding="utf-8") as handle:
        return {row["iso3"]: row for row in csv.DictReader(handle)
                if row["edition"] == str(edition) and row["has_estimate"] == "True"}


def choose(rows: dict[str, dict[str, str]], edition: int, editions: list[int],
           given: list[str] | None) -> list[str]:
    """The codes to build: every code of ``rows``, or the ``given`` ones (any case) if all are valid.

    ``editions`` are those the atlas can draw. Raises :class:`ParameterError`
    listing the valid codes with their names.
    """
    if edition not in editions:
        raise ParameterError(f"edition={edition!r} is not available; choose one of {editions}")
    if not given:
        return sorted(rows)
    codes = [str(c).strip().upper() for c in given]
    wrong = [c for c in codes if c not in rows]
    if wrong:
        valid = ", ".join(f"{c} ({rows[c]['country']})" for c in sorted(rows))
        raise ParameterError(f"{', '.join(wrong)}: no prevalence estimate in GSI {edition} (or not a "
                             f"code); valid choices ({len(rows)}): {valid}")
    return sorted(set(codes))


def _focus(fig, box: tuple[float, float, float, float] | None, view: tuple[float, float, float, float]
           ) -> tuple[int, int, int, int] | None:
    """Pixels (left, upper, right, lower) of the map drawn on ``fig`` around ``box`` (degrees), or None.

    The window is the country's box widened to at least 24 by 16 degrees, within
    ``view``; degrees go to the pixels of the drawn figure (the whole figure is
    saved) through the map's axes.
    """
    if box is None:
        return None
    x, y = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
    half_x, half_y = max((box[1] - box[0]) * 0.8, 12.0), max((box[3] - box[2]) * 0.8, 8.0)
    corners = [(max(x - half_x, view[0]), max(y - half_y, view[2])),
               (min(x + half_x, view[1]), min(y + half_y, view[3]))]
    (x0, y0), (x1, y1) = fig.axes[0].transData.transform(corners)  # pixels, from the bottom
    height = fig.bbox.height
    return round(x0), round(height - y1), round(x1), round(height - y0)


def _thumbnail(pixels, target: Path, crop: tuple[int, int, int, int] | None) -> None:
    """A small PNG of the map's ``pixels`` (RGBA), cut to ``crop`` (pixels) if given, to fit
    :data:`THUMBNAIL_SIZE`."""
    from PIL import Image

    image = Image.fromarray(pixels).convert("RGB")
    if crop is not None:
        image = image.crop((max(crop[0], 0), max(crop[1], 0), min(crop[2], image.width),
                            min(crop[3], image.height)))
    image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    with open(target, "wb") as handle:
        image.save(handle, format="PNG")


def draw_country(long, outlines: dict, iso3: str, edition: int, folder: Path, row: dict[str, str],
                 bases) -> None:
    """Draw and save one country's snapshot into ``folder`` (the staging folder of its step).

    ``long`` is ``gsi_country_edition.csv`` as a table and ``outlines`` the map
    outlines; ``row`` is the country's row read with :func:`estimates`, which
    its saved key numbers must match (else :class:`AnalysisError`). ``bases``
    (a :class:`~analysis.figures.layers.Bases`) keeps the bases of the region's
    charts drawn for earlier countries; the figures are PNG only.
    """
    import matplotlib.pyplot as plt

    from ..analyses import snapshot
    from ..analyses.published import differences
    from ..data import geography
    from ..figures import snapshot as snapshot_figures
    from ..runs.outputs import RunOutputs, load_result
    from .pages import country_page

    folder.mkdir(parents=True, exist_ok=True)
    out = RunOutputs(folder)
    for name in snapshot_figures.LAYERS:
        layers = snapshot_figures.layers(name, long, iso3, edition, outlines)
        pixels, fig = bases.draw(layers)
        try:
            out.save_pixels(pixels, name)
            if name == "map":
                ax = fig.axes[0]
                view = (*ax.get_xlim(), *ax.get_ylim())  # snapshot_figures.map_view's
                crop = _focus(fig, geography.country_box(iso3, outlines, view), view)
                _thumbnail(pixels, folder / THUMBNAIL, crop)
        finally:
            if layers.key is None:
                plt.close(fig)
    result = snapshot.analyse(long, iso3, edition)
    out.save_result(result)
    saved = load_result(folder, snapshot.SnapshotResult)  # what a reader of the folder will find
    problems = differences(saved, lambda code, e: row if (code, e) == (iso3, edition) else None)
    if problems:
        raise AnalysisError(f"{iso3}: key numbers differ from data/processed: {'; '.join(problems)}")
    write_text(folder / PAGE,
               country_page(saved.to_dict(), list(snapshot_figures.LAYERS), list(result.tables)))


# --- worker processes (see analysis.build.executor) --------------------------------------------

_WORKER: dict = {}


def start_worker(root: str, edition: int) -> None:
    """Load what every country needs once per worker; choose the Agg backend (no display here)."""
    import matplotlib

    matplotlib.use("Agg")
    from ..data.geography import country_outlines
    from ..data.processed import read_processed
    from ..figures.layers import Bases

    paths = project_paths(root)
    _WORKER.update(edition=edition, long=read_processed(TABLE, paths), outlines=country_outlines(paths),
                   rows=estimates(paths, edition), bases=Bases())


def draw_in_worker(iso3: str, folder: str) -> None:
    """Draw ``iso3`` into ``folder`` in a worker process started by :func:`start_worker`."""
    w = _WORKER
    draw_country(w["long"], w["outlines"], iso3, w["edition"], Path(folder), w["rows"][iso3], w["bases"])
