variable "model_id" {
  type = string
}

resource "aws_bedrockagent_agent" "parameterised" {
  agent_name              = "parameterised"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = var.model_id
}
