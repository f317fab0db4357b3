resource "aws_bedrock_guardrail" "prod" {
  name                      = "prod-guardrail"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrockagent_agent" "by_name" {
  agent_name              = "by-name"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.prod.guardrail_arn
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent" "by_id" {
  agent_name              = "by-id"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = "gr1abc2def3g"
    guardrail_version    = "1"
  }
}
