# a GROUNDING filter at threshold 0 blocks nothing
resource "aws_bedrock_guardrail" "zero" {
  name                      = "zero"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = 0
    }
  }
}

resource "aws_bedrockagent_agent" "zero" {
  agent_name              = "zero"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.zero.guardrail_id
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent_knowledge_base_association" "zero" {
  agent_id             = aws_bedrockagent_agent.zero.agent_id
  knowledge_base_id    = "KB12345678"
  description          = "docs"
  knowledge_base_state = "ENABLED"
}
