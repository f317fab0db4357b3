resource "aws_bedrock_guardrail" "published" {
  name                      = "published"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrock_guardrail_version" "published" {
  guardrail_arn = aws_bedrock_guardrail.published.guardrail_arn
}

resource "aws_bedrockagent_agent" "published" {
  agent_name              = "published"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.published.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.published.version
  }
}

resource "aws_bedrockagent_agent" "literal" {
  agent_name              = "literal"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = "gr1abc2def3g"
    guardrail_version    = "2"
  }
}

# no guardrail: AG201's finding, not applicable here
resource "aws_bedrockagent_agent" "unguarded" {
  agent_name              = "unguarded"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
