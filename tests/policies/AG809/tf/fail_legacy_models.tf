# Claude Sonnet 4 (Legacy 2026-04-14, end of life 2026-10-14) and Command R+ (end of life 2026-08-19)
resource "aws_bedrockagent_agent" "sonnet_4" {
  agent_name              = "sonnet-4"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "eu.anthropic.claude-sonnet-4-20250514-v1:0"
}

resource "aws_bedrockagent_agent" "command_r_plus" {
  agent_name              = "command-r-plus"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "arn:aws:bedrock:us-west-2::foundation-model/cohere.command-r-plus-v1:0"
}
