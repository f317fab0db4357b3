resource "aws_bedrock_guardrail" "plain" {
  name                      = "plain"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}

resource "aws_bedrockagent_agent" "retrieves" {
  agent_name              = "retrieves"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.plain.guardrail_id
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent_knowledge_base_association" "retrieves" {
  agent_id             = aws_bedrockagent_agent.retrieves.agent_id
  knowledge_base_id    = "KB12345678"
  description          = "docs"
  knowledge_base_state = "ENABLED"
}
