resource "aws_bedrock_guardrail" "g" {
  name                      = "g"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrock_guardrail_version" "g" {
  guardrail_arn = aws_bedrock_guardrail.g.guardrail_arn
}

resource "aws_bedrockagent_agent" "guarded" {
  agent_name              = "guarded"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.g.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.g.version
  }
}
