# no alarm in this root module: settled on live accounts
resource "aws_bedrockagent_agent" "unwatched" {
  agent_name              = "unwatched"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
