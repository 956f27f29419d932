"""ScanConfig: the settings, their allowed values (declared once) and the flat record."""

from __future__ import annotations

import json
from dataclasses import fields
from numbers import Integral, Real

import pytest

from conftest import FIXTURES
from novelty import IngestOptions, ScanConfig, scan
from novelty.config import (
    INGEST_SETTINGS,
    PARAMETER_CONSTRAINTS,
    config_record,
    flat_settings,
    with_overrides,
)
from novelty.constraints import Interval, Options, check_params
from novelty.errors import ConfigError

# What report.config recorded before the ingest options were nested (commit 8cef961), in
# order: the settings, then the embedder, the environment and the ingestion.
RECORDED_KEYS = [
    "alpha",
    "min_cluster_size",
    "min_samples",
    "hdbscan_min_cluster_size",
    "support_share",
    "support_spacing",
    "support_count",
    "support_centrality",
    "ward",
    "view",
    "center",
    "scope",
    "fdr_method",
    "seed",
    "reward_threshold",
    "base_model",
    "rl_model",
    "batch_size",
    "projection",
    "format",
    "field_map",
    "text",
    "skip_invalid",
    "base_steps",
    "rl_steps",
    "negative_control",  # issue 12
    "support_lexical",  # issue 11
    "support_inherit",  # issue 11
    "tarone_share",  # issue 11 (power)
    "support_near",  # issue 11
    "support_company",  # issue 11
    "word_share",  # issue 11
    "support_sentences",  # issue 11
    "support_held",  # issue 11
    "embedder",
    "dim",
    "device",
    "precision",
    "window",
    "n_chunked",
    "n_view_texts",
    "view_kept_fraction_mean",
    "view_kept_fraction_min",
    "faiss_gpu",
    "python",
    "packages",
    "input_files",
    "n_skipped",
    "skipped",
    "n_no_think",
    "n_outside_steps",
]
# The settings part of that record for the scan below, as JSON (commit 8cef961).
RECORDED_SETTINGS = {
    "alpha": 0.1,
    "min_cluster_size": 3,
    "min_samples": 1,
    "hdbscan_min_cluster_size": None,
    "support_share": 0.25,
    "support_spacing": 1.5,
    "support_count": 5,
    "support_centrality": 0.9,
    "ward": True,
    "view": "steps",
    "center": True,
    "scope": "problem",
    "fdr_method": "bh",
    "seed": 0,
    "reward_threshold": 0.5,
    "base_model": "base",
    "rl_model": ["rl"],
    "batch_size": 32,
    "projection": "pca",
    "format": "canonical",
    "field_map": [["text", "text"]],
    "text": "think",
    "skip_invalid": True,
    "base_steps": None,
    "rl_steps": None,
}


def _overridden_scan():
    return scan(
        FIXTURES / "tiny.jsonl",
        embedder="hashing",
        cache=None,
        projection="pca",
        alpha=0.1,
        format="canonical",
        text="think",
        skip_invalid=True,
        field_map=(("text", "text"),),
        min_cluster_size=3,
        rl_model=["rl"],
        base_model="base",
    )


def test_report_config_keeps_its_flat_keys_order_and_values():
    report = _overridden_scan()
    assert list(report.config) == RECORDED_KEYS
    recorded = json.loads(report.to_json())["config"]
    assert {k: recorded[k] for k in RECORDED_SETTINGS} == RECORDED_SETTINGS
    assert list(recorded)[: len(RECORDED_SETTINGS)] == list(RECORDED_SETTINGS)
    assert recorded["n_no_think"] == 48 and recorded["embedder"] == "hashing-256"


def test_nested_options_record_as_the_flat_keywords_do():
    flat = with_overrides(text="think", format="canonical", base_steps="1-20", rl_steps=(30, 40))
    nested = ScanConfig(
        ingest=IngestOptions(
            text="think", format="canonical", base_steps=(1, 20), rl_steps=(30, 40)
        )
    )
    assert flat == nested
    rec = flat_settings(nested)
    assert list(rec) == RECORDED_KEYS[: RECORDED_KEYS.index("embedder")]
    assert rec["base_steps"] == (1, 20) and rec["text"] == "think"
    emb = {"embedder": "e", "dim": 3, "n_from_cache": 9}
    full = config_record(nested, emb)
    assert list(full)[-5:] == ["embedder", "dim", "faiss_gpu", "python", "packages"]


def test_overrides_route_ingest_keys_into_the_nested_field():
    base = ScanConfig(alpha=0.2, ingest=IngestOptions(skip_invalid=True))
    cfg = with_overrides(base, text="answer", scope="global", field_map={"text": "out.content"})
    assert cfg.alpha == 0.2 and cfg.scope == "global"
    assert cfg.ingest == IngestOptions(
        skip_invalid=True, text="answer", field_map=(("text", "out.content"),)
    )
    assert with_overrides(base) is base
    assert with_overrides(None) == ScanConfig()
    # Pairs and FIELD=path strings read the same; a nested override and flat keys combine.
    assert with_overrides(field_map=["reward=r.s", ("text", "a")]).ingest.field_map == (
        ("reward", "r.s"),
        ("text", "a"),
    )
    both = with_overrides(ingest=IngestOptions(format="verl"), text="think")
    assert both.ingest == IngestOptions(format="verl", text="think")


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"alhpa": 0.1}, TypeError, "unknown setting.*alhpa.*the settings are alpha"),
        ({"base_steps": "20-1"}, ConfigError, "bad step range"),
        ({"rl_steps": 5}, ConfigError, "rl_steps must be"),
        ({"field_map": ["text"]}, ConfigError, "expected FIELD=dotted.path"),
    ],
)
def test_bad_overrides(kw, error, match):
    with pytest.raises(error, match=match):
        with_overrides(**kw)


def test_every_setting_has_constraints():
    assert set(PARAMETER_CONSTRAINTS) == {f.name for f in fields(ScanConfig)}
    assert set(INGEST_SETTINGS) == {f.name for f in fields(IngestOptions)}
    ScanConfig().validate()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"alpha": 0}, "alpha must be a number in (0, 1), got 0"),
        ({"alpha": 1.0}, "alpha must be a number in (0, 1), got 1.0"),
        ({"alpha": float("nan")}, "alpha must be a number in (0, 1), got nan"),
        ({"alpha": "0.1"}, "alpha must be a number in (0, 1), got '0.1'"),
        ({"min_cluster_size": 1}, "min_cluster_size must be an int at least 2, got 1"),
        ({"min_cluster_size": 5.0}, "min_cluster_size must be an int at least 2, got 5.0"),
        ({"min_samples": 0}, "min_samples must be an int at least 1 or None, got 0"),
        ({"support_share": 1.5}, "support_share must be a number in [0, 1], got 1.5"),
        ({"support_centrality": 0}, "support_centrality must be a number in (0, 1] or None"),
        ({"support_spacing": -1}, "support_spacing must be a number at least 0, got -1"),
        ({"ward": 1}, "ward must be a bool, got 1"),
        ({"scope": "world"}, "unknown scope 'world'; choose one of problem, global"),
        ({"fdr_method": "bonferroni"}, "unknown fdr_method 'bonferroni'; choose one of bh, by"),
        ({"view": "nope"}, "unknown view 'nope'; choose one of steps, strategy, whole"),
        ({"projection": "tsne"}, "unknown projection 'tsne'; choose one of auto, umap, pca"),
        ({"batch_size": 0}, "batch_size must be an int at least 1, got 0"),
        ({"ingest": {"text": "think"}}, "ingest must be an IngestOptions, got {'text'"),
        ({"rl_model": 3}, "rl_model must be a str or a list or a tuple or None, got 3"),
    ],
)
def test_validate_names_the_setting_what_it_may_be_and_the_value(kw, message):
    with pytest.raises(ConfigError) as err:
        ScanConfig(**kw).validate()
    assert str(err.value).startswith(message)


def test_bad_settings_stop_the_scan_before_any_input_is_read(tmp_path):
    missing = tmp_path / "never-read.jsonl"
    with pytest.raises(ConfigError, match="alpha"):
        scan(missing, alpha=2, embedder="hashing", cache=None)


def test_interval_ends_and_descriptions():
    right, left = Interval(Real, 0, 1, closed="right"), Interval(Real, 0, 1, closed="left")
    assert right.allows(1) and not right.allows(0)
    assert left.allows(0) and not left.allows(1)
    assert str(right) == "a number in (0, 1]" and str(left) == "a number in [0, 1)"
    assert not Interval(Integral, 1, None).allows(True)  # a bool is not a count
    assert str(Interval(Integral, None, 3, closed="neither")) == "an int less than 3"
    assert str(Interval(Real, None, None)) == "a number"
    assert Options(["a", "b"]).values == ("a", "b") and str(Options("ab")) == "one of a, b"
    check_params({"x": None}, {"x": [Interval(Real, 0, 1), None]})
    with pytest.raises(ConfigError, match=r"^x must be a number in \[0, 1\] or None, got 2$"):
        check_params({"x": 2}, {"x": [Interval(Real, 0, 1), None]})
