resource "aws_bedrockagent_agent_alias" "stable" {
  agent_id         = "AGENT12345"
  agent_alias_name = "stable"
  routing_configuration {
    agent_version = "4"
  }
}

resource "aws_bedrockagent_agent_alias" "test" {
  agent_id         = "AGENT12345"
  agent_alias_name = "orders-test"
  routing_configuration {
    agent_version = "DRAFT"
  }
}
