resource "aws_bedrock_guardrail" "team" {
  name                      = "team-guardrail"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrockagent_agent" "by_resource" {
  agent_name              = "by-resource"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.team.guardrail_id
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent" "no_guardrail" {
  agent_name              = "no-guardrail"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
