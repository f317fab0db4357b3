resource "aws_bedrockagent_agent" "supervisor" {
  agent_name              = "supervisor"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  agent_collaboration     = "SUPERVISOR"
  guardrail_configuration {
    guardrail_identifier = "gr1abc2def3g"
    guardrail_version    = "3"
  }
}

# the same guardrail, an older version
resource "aws_bedrockagent_agent" "stale" {
  agent_name              = "stale"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration {
    guardrail_identifier = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1abc2def3g"
    guardrail_version    = "1"
  }
}

resource "aws_bedrockagent_agent_alias" "stale" {
  agent_id         = aws_bedrockagent_agent.stale.agent_id
  agent_alias_name = "live"
}

resource "aws_bedrockagent_agent_collaborator" "stale" {
  agent_id                  = aws_bedrockagent_agent.supervisor.agent_id
  collaborator_name         = "stale"
  collaboration_instruction = "handles orders"
  agent_descriptor {
    alias_arn = aws_bedrockagent_agent_alias.stale.agent_alias_arn
  }
}

# a supervisor without a guardrail: its collaborator still needs one
resource "aws_bedrockagent_agent" "open_supervisor" {
  agent_name              = "open-supervisor"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  agent_collaboration     = "SUPERVISOR_ROUTER"
}

resource "aws_bedrockagent_agent" "open_worker" {
  agent_name              = "open-worker"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent_alias" "open_worker" {
  agent_id         = aws_bedrockagent_agent.open_worker.agent_id
  agent_alias_name = "live"
}

resource "aws_bedrockagent_agent_collaborator" "open_worker" {
  agent_id                  = aws_bedrockagent_agent.open_supervisor.agent_id
  collaborator_name         = "open-worker"
  collaboration_instruction = "does the work"
  agent_descriptor {
    alias_arn = aws_bedrockagent_agent_alias.open_worker.agent_alias_arn
  }
}
