resource "aws_bedrockagent_agent" "a" {
  agent_name              = "a"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

# agent_version of the agent resource is always DRAFT
resource "aws_bedrockagent_agent_alias" "prod" {
  agent_id         = aws_bedrockagent_agent.a.agent_id
  agent_alias_name = "prod"
  routing_configuration {
    agent_version = aws_bedrockagent_agent.a.agent_version
  }
}
