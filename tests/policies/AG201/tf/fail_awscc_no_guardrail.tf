resource "awscc_bedrock_agent" "cc_unguarded" {
  agent_name              = "cc-unguarded"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
