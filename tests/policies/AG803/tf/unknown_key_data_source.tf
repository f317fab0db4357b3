data "aws_kms_key" "shared" {
  key_id = "alias/shared-agents"
}

# a data source is read at apply time
resource "aws_bedrockagent_agent" "shared_key" {
  agent_name                  = "shared-key"
  agent_resource_role_arn     = "arn:aws:iam::123456789012:role/agent"
  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"
  customer_encryption_key_arn = data.aws_kms_key.shared.arn
}
