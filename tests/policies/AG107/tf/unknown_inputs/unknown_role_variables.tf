variable "first_role_arn" {
  type = string
}

variable "second_role_arn" {
  type = string
}

# two input variables may be given the same role ARN
resource "aws_bedrockagent_agent" "first" {
  agent_name              = "first"
  agent_resource_role_arn = var.first_role_arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagentcore_agent_runtime" "second" {
  agent_runtime_name = "second"
  role_arn           = var.second_role_arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "111122223333.dkr.ecr.us-east-1.amazonaws.com/r:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
