resource "aws_bedrockagentcore_agent_runtime" "public" {
  agent_runtime_name = "public_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}

# mode chosen by a variable whose default is PUBLIC
variable "runtime_network_mode" {
  type    = string
  default = "PUBLIC"
}

resource "aws_bedrockagentcore_agent_runtime" "defaulted" {
  agent_runtime_name = "defaulted_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = var.runtime_network_mode
  }
}
