"""``python -m agentgov.scanner``: the ``agentgov`` command."""

from .cli import main

raise SystemExit(main())
