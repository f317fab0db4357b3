"""Number parameters (min_grounding_threshold, AG205): a number between 0 and 1, else a one-line configuration error."""

from __future__ import annotations

import pytest

from agentgov.scanner.config import ConfigError, effective_parameters, load_config


@pytest.mark.parametrize("value", ["0.8", "1", "0"])
def test_a_threshold_between_0_and_1_is_taken(tmp_path, pack, value):
    path = tmp_path / "agentgov.toml"
    path.write_text(f"[agentgov.parameters]\nmin_grounding_threshold = {value}\n")
    params = effective_parameters(load_config(path, pack.parameters), pack.parameters)
    assert params["min_grounding_threshold"] == float(value)


@pytest.mark.parametrize(
    ("value", "words"), [("1.5", "not between 0 and 1"), ('"high"', "expected a number"), ("true", "expected a number")]
)
def test_a_threshold_outside_0_to_1_or_not_a_number_is_refused(tmp_path, pack, value, words):
    path = tmp_path / "agentgov.toml"
    path.write_text(f"[agentgov.parameters]\nmin_grounding_threshold = {value}\n")
    with pytest.raises(ConfigError) as exc:
        load_config(path, pack.parameters)
    assert "parameters.min_grounding_threshold" in str(exc.value) and words in str(exc.value), str(exc.value)


def test_the_default_is_0_7(params):
    assert params["min_grounding_threshold"] == 0.7
