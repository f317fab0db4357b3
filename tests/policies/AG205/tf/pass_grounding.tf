resource "aws_bedrock_guardrail" "grounded" {
  name                      = "grounded"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = 0.75
    }
    filters_config {
      type      = "RELEVANCE"
      threshold = 0.75
    }
  }
}

resource "aws_bedrockagent_knowledge_base" "docs" {
  name     = "docs"
  role_arn = "arn:aws:iam::123456789012:role/kb"
  knowledge_base_configuration {
    type = "VECTOR"
  }
}

resource "aws_bedrockagent_agent" "grounded" {
  agent_name              = "grounded"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.grounded.guardrail_arn
    guardrail_version    = "3"
  }
}

resource "aws_bedrockagent_agent_knowledge_base_association" "grounded" {
  agent_id             = aws_bedrockagent_agent.grounded.agent_id
  knowledge_base_id    = aws_bedrockagent_knowledge_base.docs.id
  description          = "docs"
  knowledge_base_state = "ENABLED"
}

# no knowledge base: not applicable
resource "aws_bedrockagent_agent" "chat" {
  agent_name              = "chat"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
