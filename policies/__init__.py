"""The agentgov policy pack: one YAML file per policy, schema and registry."""
