variable "guardrail_version" {
  type = string
}

resource "aws_bedrockagent_agent" "parameterised" {
  agent_name              = "parameterised"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = "gr1abc2def3g"
    guardrail_version    = var.guardrail_version
  }
}
