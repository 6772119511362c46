"""The manifest: what extract_raw.py writes is what the library reads, bounds included."""

from __future__ import annotations

from analysis.data.manifest import ColumnSpec, column_entry, load_manifest


def test_a_zero_bound_is_written_to_the_manifest():
    entry = column_entry(ColumnSpec("n", "integer", "count", minimum=0, maximum=0))
    assert (entry["minimum"], entry["maximum"]) == (0, 0)
    assert "unique" not in entry


def test_every_committed_bound_of_zero_is_in_the_manifest(paths):
    entry = load_manifest(paths)["gsi2023_country_table.csv"]
    assert entry.column("vulnerability_total").minimum == 0
    assert entry.column("prevalence_per_1000").minimum == 0
    assert entry.column("estimated_number").minimum == 0
