# nothing here sets invocation logging: settled on live accounts
resource "aws_bedrockagent_agent" "unlogged" {
  agent_name              = "unlogged"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
