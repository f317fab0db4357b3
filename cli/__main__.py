"""``python -m agentgov.cli``: the ``agentgov`` command."""

from agentgov.cli.main import main

raise SystemExit(main())
