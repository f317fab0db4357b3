resource "aws_bedrockagent_agent_action_group" "code" {
  agent_id                      = "AGENT12345"
  agent_version                 = "DRAFT"
  action_group_name             = "code"
  parent_action_group_signature = "AMAZON.CodeInterpreter"
}
