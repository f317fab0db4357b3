resource "aws_bedrockagent_agent_action_group" "ask" {
  agent_id                      = "AGENT12345"
  agent_version                 = "DRAFT"
  action_group_name             = "ask"
  parent_action_group_signature = "AMAZON.UserInput"
}
