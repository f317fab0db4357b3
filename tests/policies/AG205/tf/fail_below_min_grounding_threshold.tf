# both filters blocking, but GROUNDING at 0.6 is below min_grounding_threshold (0.7)
resource "aws_bedrock_guardrail" "lenient" {
  name                      = "lenient"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = 0.6
    }
    filters_config {
      type      = "RELEVANCE"
      threshold = 0.7
    }
  }
}

resource "aws_bedrockagent_agent" "lenient" {
  agent_name              = "lenient"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-haiku-4-5-20251001-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.lenient.guardrail_id
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent_knowledge_base_association" "lenient" {
  agent_id             = aws_bedrockagent_agent.lenient.agent_id
  knowledge_base_id    = "KB12345678"
  description          = "docs"
  knowledge_base_state = "ENABLED"
}
