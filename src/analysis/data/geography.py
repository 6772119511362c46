"""Country outlines for maps, from ``data/raw/naturalearth_countries.csv`` (Natural Earth 1:110m).

Coordinates are longitude and latitude in degrees. Small countries have no
outline at this scale; :func:`missing_outlines` names them so a map can say so.
"""

from __future__ import annotations

import json

import pandas as pd

from ..errors import RawDataError
from ..paths import ProjectPaths
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


def missing_outlines(iso3s: pd.Series, outlines: dict[str, list[Ring]]) -> list[str]:
    """The codes among ``iso3s`` that have no outline at this scale, sorted."""
    return sorted(set(iso3s) - set(outlines))


def _area(ring: Ring) -> float:
    """Area of a ring in square degrees (shoelace formula), for picking a country's main polygon."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def extent(iso3s: list[str], outlines: dict[str, list[Ring]], margin: float = 3.0
           ) -> tuple[float, float, float, float]:
    """``(west, east, south, north)`` in degrees around the main outline of each of ``iso3s``.

    Only each country's largest polygon counts, so that overseas territories
    (French Guiana for France) and far islands (the Aleutians) do not stretch a
    region map; a polygon that spans more than 180 degrees of longitude (it
    crosses the antimeridian) counts only with its eastern edge.
    """
    west, east, south, north = 180.0, -180.0, 90.0, -90.0
    for code in iso3s:
        rings = outlines.get(code, [])
        if not rings:
            continue
        points = max(rings, key=_area)
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if max(xs) - min(xs) <= 180:
            west = min(west, min(xs))
        east, south, north = max(east, max(xs)), min(south, min(ys)), max(north, max(ys))
    return (max(west - margin, -180), min(east + margin, 180),
            max(south - margin, -90), min(north + margin, 90))
