"""Renderers of findings: text, JSON, SARIF, JUnit."""
