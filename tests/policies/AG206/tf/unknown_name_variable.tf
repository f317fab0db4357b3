variable "guardrail_name" {
  type = string
}

# the guardrail's name is known only at deploy time: registered or not cannot be told
resource "aws_bedrock_guardrail" "named_later" {
  name                      = var.guardrail_name
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrockagent_agent" "named_later" {
  agent_name              = "named-later"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.named_later.guardrail_id
    guardrail_version    = "1"
  }
}
