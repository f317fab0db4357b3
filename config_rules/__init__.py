"""Compiler from policies to AWS Config rules and conformance pack."""
