# the agent's role is not in these files (an ARN of a role made elsewhere): UNKNOWN on the agent, not silence
variable "agent_role_arn" {
  type = string
}

resource "aws_bedrockagent_agent" "outside" {
  agent_name              = "outside"
  agent_resource_role_arn = var.agent_role_arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
