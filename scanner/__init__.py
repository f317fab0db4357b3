"""agentgov scanner: sources, resource model, graph, engine, CLI."""

__version__ = "0.1.0"
