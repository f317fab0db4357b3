"""Sources that build an Inventory: CloudFormation/SAM/CDK, Terraform, live AWS."""
