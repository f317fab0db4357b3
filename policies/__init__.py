"""The agentgov policy pack: one YAML file per policy, schema and registry.

The lowest layer: it imports no other agentgov package (``lint-imports``). The names a policy may use that the
engine defines (resource kinds, relations, analyzers) are handed to the loader by ``agentgov.scanner.pack``.
"""

#: agentgov's version (kept in the lowest layer: the pack cache is keyed by it; ``agentgov.scanner`` re-exports it)
__version__ = "0.1.0"
