"""The live audit: collectors (one module per AWS service area), the Organization walk,
spooled results, shard merge and the Security Hub import."""
