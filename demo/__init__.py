"""The moto completion (awsmock) and the demo Organization of ``agentgov audit --demo``.

Needed only by the ``demo`` and ``test`` extras: nothing on the scan or real-audit path imports it."""
