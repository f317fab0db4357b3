"""Analyzers written once and named by policies."""
