"""Maps of countries that cross the antimeridian or span far, and charts of countries without a score."""

from __future__ import annotations

import matplotlib
import pytest

from analysis.figures import charts as figures
from analysis.analyses import snapshot
from analysis.data import geography

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def outlines(paths):
    return geography.country_outlines(paths)


def _region_view(long, outlines, iso3, edition=2023):
    codes = snapshot.region_ranking(long, iso3, edition, "prevalence_per_1000")["iso3"].tolist()
    return geography.extent(codes, outlines, whole=[iso3])


def _inside(view, rings):
    """True when every point of ``rings``, placed in the view's longitudes, lies inside ``view``."""
    west, east, south, north = view
    placed = geography.place(rings, view)
    points = [p for ring in placed for p in ring]
    return len(placed) >= len(rings) and all(west <= x <= east and south <= y <= north for x, y in points)


def test_the_usa_map_shows_alaska(long, outlines):
    view = _region_view(long, outlines, "USA")
    alaska = [r for r in outlines["USA"] if min(x for x, _ in r) < -140 and min(y for _, y in r) > 50]
    assert alaska and _inside(view, alaska)
    assert view[0] < -168


def test_the_russia_map_crosses_the_antimeridian(long, outlines):
    west, east, south, north = view = _region_view(long, outlines, "RUS")
    assert east > 190 and west < -5  # Ireland to Chukotka, across 180 degrees
    assert _inside(view, outlines["RUS"][:3])  # mainland, Novaya Zemlya, Chukotka
    # Chukotka (west of -169 degrees) is drawn east of 180 degrees, beside the rest of Russia.
    chukotka = [r for r in outlines["RUS"] if max(x for x, _ in r) < -160]
    assert all(min(x for x, _ in ring) >= 180 for ring in geography.place(chukotka, view))


def test_countries_next_to_the_antimeridian_are_drawn_whole(long, outlines):
    view = _region_view(long, outlines, "NZL")
    assert _inside(view, outlines["NZL"])
    assert view[1] > 180  # the view runs past 180 degrees, so Fiji's far islands are drawn
    fiji = geography.place(outlines["FJI"], view)
    assert any(min(x for x, _ in ring) >= 180 for ring in fiji)


def test_a_far_overseas_part_does_not_stretch_the_map_and_is_named(long, outlines):
    view = _region_view(long, outlines, "FRA")
    assert view[2] > 20  # French Guiana (2 to 6 degrees north) is not in the map of Europe
    assert geography.parts_outside("FRA", outlines, view)
    assert not geography.parts_outside("USA", outlines, _region_view(long, outlines, "USA"))


def test_extent_of_a_region_that_does_not_cross_the_antimeridian_is_unchanged(outlines):
    west, east, south, north = geography.extent(["FRA"], outlines, margin=0)
    assert -5 < west < 0 and 40 < south < 43 and east < 10


def test_the_maps_of_far_spanning_countries_draw(long, outlines):
    for iso3 in ("USA", "RUS", "NZL"):
        fig = figures.region_map(snapshot.region_values(long, iso3, 2023, "prevalence_per_1000"),
                                 "prevalence_per_1000", outlines, iso3, "l",
                                 _region_view(long, outlines, iso3))
        matplotlib.pyplot.close(fig)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def test_a_response_not_assessed_is_said_on_the_chart(long):
    table = snapshot.response_against_region(long, "AFG", 2023)
    assert table["country"].isna().all()
    fig = figures.against_region(table, "Afghanistan", "x", missing="not assessed",
                                 note="Afghanistan: government response not assessed in GSI 2023")
    texts = _texts(fig)
    assert sum("not assessed" in t for t in texts) >= len(table)  # one on each row, and the note
    matplotlib.pyplot.close(fig)
