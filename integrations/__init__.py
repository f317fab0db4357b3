"""agentgov inside other tools: the checkov pack."""
