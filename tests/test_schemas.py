"""The contract of the frames: both of its backends (pandera, the reference, and the vectorized
checks every run uses) accept the frames plankoll builds and reject the same broken frames."""

from __future__ import annotations

import pandera.errors as pe
import pytest
from helpers import DATASETS

from plankoll import schemas
from plankoll.frames import build
from plankoll.loader import load_paths


@pytest.fixture(scope="module")
def frames():
    loaded, errors = load_paths([DATASETS])
    assert errors == []
    return build(loaded)


def test_the_frames_of_the_datasets_keep_the_contract(frames):
    for name in schemas.SCHEMAS:
        df = getattr(frames, name)
        assert list(df.columns) == list(schemas.SCHEMAS[name].columns)
        schemas.SCHEMAS[name].validate(df)
        assert schemas.violations(name, df) == []
    assert frames.values["ind_key"].isin(frames.indicators["ind_key"]).all()
    assert frames.cells["tab_key"].isin(frames.tables["tab_key"]).all()
    # the key of a value is the key of its own indicator
    pairs = frames.values.merge(frames.indicators, on="ind_key", suffixes=("", "_ind"))
    assert (pairs["plan_key"] == pairs["plan_key_ind"]).all() and (pairs["indicator_id"] == pairs["indicator_id_ind"]).all()


@pytest.mark.parametrize("name, column, change", [
    ("values", "kind", lambda s: s.where(s.index != 3, "bogus")),
    ("values", "role", lambda s: s.where(s.index != 0, "forecast")),
    ("values", "ind_key", lambda s: s.where(s.index != 5, -1)),
    ("values", "number", lambda s: s.astype(str)),  # a figure's number is a float, never text
    ("cells", "decimals", lambda s: s.where(s.index != 2, -1)),
    ("indicators", "ind_key", lambda s: s * 0),  # keys are unique
    ("plans", "last_year", lambda s: s - 100),  # a period cannot end before it starts
])
def test_a_frame_that_breaks_the_contract_is_rejected(frames, name, column, change):
    df = getattr(frames, name).copy()
    df[column] = change(df[column])
    with pytest.raises(pe.SchemaErrors):
        schemas.SCHEMAS[name].validate(df, lazy=True)
    assert schemas.violations(name, df)


BREAKS = [
    ("values", "sex", lambda s: s.where(s.index != 1, None)),  # a required column with a missing value
    ("values", "decimals", lambda s: s.where(s.index != 4, -2)),
    ("values", "file_line", lambda s: s.where(s.index != 0, 0)),
    ("cells", "comparator", lambda s: s.where(s.index != 0, "=")),
    ("cells", "text_column", lambda s: s.astype("object")),  # the wrong dtype
    ("plans", "plan_key", lambda s: s * 0),  # one key for every plan version
    ("tables", "tab_key", lambda s: s * 0),
    ("waivers", "scope", lambda s: s.where(s.index != 0, "anywhere")),
    ("derived", "kind", lambda s: s.where(s.index != 0, "ratio")),
]


@pytest.mark.parametrize("name, column, change", BREAKS)
def test_both_backends_reject_the_same_broken_frames(frames, name, column, change):
    df = getattr(frames, name).copy()
    if df.empty:
        pytest.fail(f"the datasets give no {name} rows to break")
    df[column] = change(df[column])
    with pytest.raises(pe.SchemaErrors):
        schemas.SCHEMAS[name].validate(df, lazy=True)
    assert schemas.violations(name, df)


def test_extra_or_missing_columns_break_the_contract(frames):
    df = frames.values.copy()
    assert schemas.violations("values", df.assign(extra=1))
    assert schemas.violations("values", df.drop(columns=["word"]))


def test_a_run_refuses_a_frame_that_breaks_the_contract(frames):
    columns = {c: frames.values[c].tolist() for c in frames.values.columns}
    schemas.frame("values", columns)  # as built: kept
    columns["role"][0] = "forecast"
    with pytest.raises(schemas.ContractError, match="role: values outside"):
        schemas.frame("values", columns)
