resource "aws_bedrock_guardrail" "g" {
  name                      = "g"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

# the guardrail resource's own version is always DRAFT
resource "aws_bedrockagent_agent" "follows_draft" {
  agent_name              = "follows-draft"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.g.guardrail_id
    guardrail_version    = aws_bedrock_guardrail.g.version
  }
}

resource "aws_bedrockagent_agent" "literal_draft" {
  agent_name              = "literal-draft"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = "gr1abc2def3g"
    guardrail_version    = "DRAFT"
  }
}
