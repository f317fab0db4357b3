"""Compiler from policies to Service Control Policies (issue: preventive SCPs)."""
