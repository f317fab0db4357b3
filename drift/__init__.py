"""Drift: what the IaC declares against what the live audit found."""
