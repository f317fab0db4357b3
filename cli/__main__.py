"""``python -m agentgov.cli``: the ``agentgov`` command."""

from agentgov.cli.main import entry

raise SystemExit(entry())
