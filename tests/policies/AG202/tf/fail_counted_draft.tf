resource "aws_bedrock_guardrail" "counted" {
  count                     = 1
  name                      = "counted"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrockagent_agent" "counted_draft" {
  agent_name              = "counted-draft"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.counted[0].guardrail_id
    guardrail_version    = aws_bedrock_guardrail.counted[0].version
  }
}
