resource "aws_bedrock_guardrail" "shared" {
  name                      = "shared"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "aws_bedrock_guardrail_version" "shared" {
  guardrail_arn = aws_bedrock_guardrail.shared.guardrail_arn
}

resource "aws_bedrockagent_agent" "lead" {
  agent_name              = "lead"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  agent_collaboration     = "SUPERVISOR"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.shared.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.shared.version
  }
}

resource "aws_bedrockagent_agent" "helper" {
  agent_name              = "helper"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.shared.guardrail_arn
    guardrail_version    = aws_bedrock_guardrail_version.shared.version
  }
}

resource "aws_bedrockagent_agent_alias" "helper" {
  agent_id         = aws_bedrockagent_agent.helper.agent_id
  agent_alias_name = "live"
}

resource "aws_bedrockagent_agent_collaborator" "helper" {
  agent_id                  = aws_bedrockagent_agent.lead.agent_id
  collaborator_name         = "helper"
  collaboration_instruction = "helps"
  agent_descriptor {
    alias_arn = aws_bedrockagent_agent_alias.helper.agent_alias_arn
  }
}
