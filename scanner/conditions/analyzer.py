"""``analyzer``: a named analyzer (``agentgov.scanner.analyzers``), given to the evaluation by the engine."""

from __future__ import annotations

from agentgov.policies.compiled import AnalyzerCall

from ..model import Resource
from .verdict import EvalContext, Evaluate, Verdict


def analyzer(cond: AnalyzerCall, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    fn = ctx.analyzers.get(cond.analyzer)
    if fn is None:  # the pack checks the names at load: this is a caller that gave no analyzers
        raise LookupError(f"analyzer {cond.analyzer!r} is not among the analyzers given to this evaluation")
    params = {k: (ctx.params.get(v[1:]) if isinstance(v, str) and v.startswith("$") else v) for k, v in cond.params.items()}
    return fn(res, ctx, params)
