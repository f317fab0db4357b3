"""agentgov scanner, the engine: IaC sources, resource model, graph, conditions, analyzers, findings."""

__version__ = "0.1.0"
