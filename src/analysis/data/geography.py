"""Country outlines for maps, from ``data/raw/naturalearth_countries.csv`` (Natural Earth 1:110m).

Coordinates are longitude and latitude in degrees. Small countries have no
outline at this scale: ``MANIFEST.yaml`` lists the countries of the GSI that
Natural Earth does not draw (``not_at_this_scale``), and :func:`check_outlines`
refuses data in which any other country of the GSI has no outline, so that
:func:`missing_outlines` names only countries too small to draw.
"""

from __future__ import annotations

import json

import pandas as pd

from ..errors import RawDataError
from ..paths import ProjectPaths
from .manifest import load_manifest
from .raw_io import read_raw

MAP_FILE = "naturalearth_countries.csv"
#: Degrees a coordinate may pass the edge of the map by (floating-point noise in the data).
_NOISE = 1e-9
Ring = list[tuple[float, float]]


def _outer_rings(text: str, line: int) -> list[Ring]:
    """The outer ring of each polygon of one GeoJSON geometry; a malformed one names its line."""
    try:
        geometry = json.loads(text)
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"type {kind!r} is neither Polygon nor MultiPolygon")
        polygons = geometry["coordinates"] if kind == "MultiPolygon" else [geometry["coordinates"]]
        rings = [[(float(x), float(y)) for x, y in polygon[0]] for polygon in polygons]
    except KeyError as exc:
        raise RawDataError(MAP_FILE, f"is not a GeoJSON Polygon or MultiPolygon: it has no {exc}",
                           line=line, column="geometry") from None
    except (ValueError, TypeError, IndexError) as exc:
        raise RawDataError(MAP_FILE, f"is not a GeoJSON Polygon or MultiPolygon: {exc}",
                           line=line, column="geometry") from None
    for x, y in (point for ring in rings for point in ring):
        # Natural Earth has rounding noise at the antimeridian (Russia: 180.00000000000006).
        if not (-180 - _NOISE <= x <= 180 + _NOISE and -90 - _NOISE <= y <= 90 + _NOISE):
            raise RawDataError(MAP_FILE, f"point ({x}, {y}) is not a longitude and latitude in "
                               "degrees (-180 to 180, -90 to 90)", line=line, column="geometry")
    return rings


def country_outlines(paths: ProjectPaths | None = None) -> dict[str, list[Ring]]:
    """``{iso3: [outer ring, ...]}``: the outer ring of each polygon of each country (degrees).

    Every outline is checked (see :func:`_outer_rings`), so the data build calls
    this too, and a broken outline stops it before anything is written.
    """
    table = read_raw(MAP_FILE, paths)
    return {iso3: _outer_rings(text, idx + 2)
            for idx, (iso3, text) in enumerate(zip(table["iso3"], table["geometry"]))}


def check_outlines(long: pd.DataFrame, outlines: dict[str, list[Ring]],
                   paths: ProjectPaths | None = None) -> None:
    """Check that every country of ``long`` (the GSI table) has an outline or is too small to draw.

    Raises :class:`RawDataError` naming the countries whose outline is missing
    from ``naturalearth_countries.csv`` though Natural Earth draws them (they are
    not in the manifest's ``not_at_this_scale``).
    """
    small = set(load_manifest(paths)[MAP_FILE].extra.get("not_at_this_scale", []))
    names = long.drop_duplicates("iso3").set_index("iso3")["country"]
    missing = sorted(set(names.index) - set(outlines) - small)
    if missing:
        shown = ", ".join(f"{code} ({names[code]})" for code in missing)
        raise RawDataError(MAP_FILE, f"has no outline for {shown}, which Natural Earth 1:110m draws (it "
                           "is not among the countries too small for this scale, not_at_this_scale in "
                           f"MANIFEST.yaml): restore its row (git checkout data/raw/{MAP_FILE})",
                           column="iso3")


def missing_outlines(iso3s: pd.Series, outlines: dict[str, list[Ring]]) -> list[str]:
    """The codes among ``iso3s`` that have no outline at this scale, sorted."""
    return sorted(set(iso3s) - set(outlines))


def _area(ring: Ring) -> float:
    """Area of a ring in square degrees (shoelace formula), for picking a country's main polygon."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


#: A country drawn whole takes in each of its polygons within this many degrees of another one it
#: takes in (Alaska beside Canada, Chukotka across 180 degrees), but not far overseas parts
#: (French Guiana for France, Hawaii for the United States).
REACH = 20.0
_SHIFTS = (-360.0, 0.0, 360.0)
Box = tuple[float, float, float, float]


def _box(ring: Ring) -> Box:
    """``(west, east, south, north)`` of a ring; a ring that spans more than 180 degrees of longitude
    wraps round the globe (Antarctica) and is taken to cover every longitude."""
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    west, east = min(xs), max(xs)
    if east - west > 180:
        west, east = -180.0, 180.0
    return west, east, min(ys), max(ys)


def _gap(a: Box, b: Box) -> float:
    """Degrees between two boxes: the larger of the longitude gap (round the globe) and the latitude gap."""
    lon = min(max(0.0, b[0] + k - a[1], a[0] - b[1] - k) for k in _SHIFTS)
    return max(lon, b[2] - a[3], a[2] - b[3], 0.0)


def _parts(code: str, outlines: dict[str, list[Ring]], whole: bool) -> list[Box]:
    """Boxes of the polygons of ``code`` that a view must hold: the largest, and if ``whole`` the
    polygons linked to it by gaps of at most :data:`REACH` degrees."""
    rings = outlines.get(code, [])
    if not rings:
        return []
    main = max(rings, key=_area)
    taken, rest = [_box(main)], [_box(r) for r in rings if r is not main]
    while whole:
        near = [b for b in rest if any(_gap(t, b) <= REACH for t in taken)]
        if not near:
            break
        taken += near
        rest = [b for b in rest if b not in near]
    return taken


def _longitudes(boxes: list[Box]) -> tuple[float, float]:
    """The shortest longitude range that holds every box: it leaves out the widest empty gap
    round the globe. ``west`` is in [-180, 180); ``east`` may pass 180 (the range crosses it)."""
    merged: list[list[float]] = []
    for west, east, _, _ in sorted(boxes):
        if merged and west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    gap, start = merged[0][0] + 360 - merged[-1][1], merged[0][0]  # the gap across 180 degrees
    for before, after in zip(merged, merged[1:]):
        if after[0] - before[1] > gap:
            gap, start = after[0] - before[1], after[0]
    start = start - 360 if start >= 180 else start
    return start, start + 360 - gap


def extent(iso3s: list[str], outlines: dict[str, list[Ring]], margin: float = 3.0,
           whole: list[str] | tuple[str, ...] = ()) -> Box:
    """``(west, east, south, north)`` in degrees around the main outline of each of ``iso3s``.

    Only each country's largest polygon counts, so that overseas territories
    (French Guiana for France) and far islands do not stretch a region map; the
    countries of ``whole`` (the one a map is about) count with every polygon
    near their main one (Alaska for the United States). A view that crosses
    the antimeridian has an ``east`` beyond 180 degrees (Russia with Chukotka:
    about -27 to 193); :func:`place` moves outlines into it.
    """
    boxes = [box for code in iso3s for box in _parts(code, outlines, code in whole)]
    boxes += [box for code in whole if code not in iso3s for box in _parts(code, outlines, True)]
    if not boxes:
        return (-180.0, 180.0, -90.0, 90.0)
    west, east = _longitudes(boxes)
    west, east = west - margin, east + margin
    if east - west > 360:
        west, east = (west + east) / 2 - 180, (west + east) / 2 + 180
    return (west, east, max(min(b[2] for b in boxes) - margin, -90),
            min(max(b[3] for b in boxes) + margin, 90))


def place(rings: list[Ring], view: Box) -> list[Ring]:
    """``rings`` moved by whole turns (360 degrees of longitude) to where ``view`` shows them.

    A ring is kept once for each turn that brings it into the view's longitudes
    (none if it lies outside them), so Chukotka, at -170 degrees, is drawn at 190
    beside the rest of Russia when the view crosses 180 degrees.
    """
    west, east = view[0], view[1]
    placed = []
    for ring in rings:
        box = _box(ring)
        for k in _SHIFTS:
            if box[0] + k <= east and box[1] + k >= west:
                placed.append(ring if k == 0 else [(x + k, y) for x, y in ring])
    return placed


def parts_outside(iso3: str, outlines: dict[str, list[Ring]], view: Box) -> bool:
    """True when a polygon of ``iso3`` lies wholly outside ``view`` (French Guiana in a map of Europe)."""
    south, north = view[2], view[3]
    for ring in outlines.get(iso3, []):
        box = _box(ring)
        if box[2] > north or box[3] < south or not place([ring], view):
            return True
    return False


def country_box(iso3: str, outlines: dict[str, list[Ring]], view: Box) -> Box | None:
    """``(west, east, south, north)`` of the polygons of ``iso3`` that ``view`` shows, in its
    longitudes (east of 180 degrees where the view crosses it); ``None`` if it shows none."""
    boxes = [_box(ring) for ring in place(outlines.get(iso3, []), view)]
    boxes = [b for b in boxes if b[2] <= view[3] and b[3] >= view[2]]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes),
            max(b[3] for b in boxes))
