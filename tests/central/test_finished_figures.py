"""A month's summary stored as JSON text reads back as exactly the figures computed, and the
answer built from it is the same, byte for byte, as the answer built from the fresh merge
(pure: no database)."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from central.figures import Finished, OfficeNames, finish, summary_json

DURATIONS = st.lists(st.floats(min_value=0.0, max_value=86_400.0, allow_nan=False,
                               allow_infinity=False), max_size=12).map(sorted)
COUNTS = st.lists(st.integers(min_value=0, max_value=50), min_size=14, max_size=14)
GROUPS = st.lists(st.tuples(st.sampled_from(["OF-A", "OF-B", None]), st.booleans(), COUNTS,
                            DURATIONS, DURATIONS), max_size=10)
NAMES = OfficeNames({"OF-A": "Oficina A", "OF-B": "Oficina B"}, {})


@settings(max_examples=150, deadline=None)
@given(GROUPS, st.booleans())
def test_stored_figures_read_back_exactly(groups: list, split: bool) -> None:
    fresh = finish(groups, split)
    stored = Finished.from_json(fresh.to_json())
    assert stored == fresh
    month = (date(2025, 11, 1), date(2025, 11, 30))
    for by in ("office", "group"):
        assert json.dumps(summary_json(stored, by, *month, None, NAMES)) == \
            json.dumps(summary_json(fresh, by, *month, None, NAMES))


def test_awkward_floats_survive_the_text() -> None:
    waits = sorted([0.1 + 0.2, 1e-7, 5e-324, 86_399.999_999_999_99, 1 / 3])
    fresh = finish([("OF-A", False, [5] * 14, waits, waits[:2])])
    stored = Finished.from_json(fresh.to_json())
    assert stored.total == fresh.total and stored.rows == fresh.rows
