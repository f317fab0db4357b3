"""The report formats rendered here for ``scan``, ``audit``, ``merge`` (and ``drift``): name -> renderer.

The CLI adds these names to its ``--format`` choices and hands the rendering to ``render``; each renderer
is imported only when its format is asked for (``scan`` stays import-light).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

#: format -> "module:function(result, args) -> str or pieces"
RENDERERS = {
    "html": "agentgov.reports.html_report:chunks",
    "markdown": "agentgov.reports.pr_markdown:chunks",
}

#: format -> "module:function(drift_dict) -> str" (drift renders its JSON document, ``drift.compare.to_dict``)
DRIFT_RENDERERS = {
    "html": "agentgov.reports.drift_html:render",
}

NAMES = tuple(RENDERERS)
DRIFT_NAMES = tuple(DRIFT_RENDERERS)


def _load(spec: str) -> Any:
    module, _, func = spec.partition(":")
    return getattr(import_module(module), func)


def render(fmt: str, result: Any, args: Any) -> str | Iterable[str]:
    """The output of ``fmt`` for a scan, audit or merge result (``args``: the command's options)."""
    return _load(RENDERERS[fmt])(result, args)


def render_drift(fmt: str, drift: dict[str, Any]) -> str:
    """The output of ``fmt`` for a drift document (its JSON form)."""
    return _load(DRIFT_RENDERERS[fmt])(drift)
