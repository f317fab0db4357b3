"""agentgov scanner, the engine: IaC sources, resource model, graph, conditions, analyzers, findings."""

from agentgov.policies import __version__

__all__ = ["__version__"]
