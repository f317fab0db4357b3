variable "model" {
  type = string
}

resource "aws_bedrockagent_agent" "not_listed" {
  agent_name              = "not-listed"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "amazon.titan-embed-text-v2:0"
}

resource "aws_bedrockagent_agent" "variable" {
  agent_name              = "variable"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = var.model
}
