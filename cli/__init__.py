"""The ``agentgov`` command: argument parsing and one entry point per command."""
