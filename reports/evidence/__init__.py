"""Evidence bundles: build, sign, chain, archive under Object Lock, verify offline."""
