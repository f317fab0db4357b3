variable "allowed_clients" {
  type = list(string)
}

# the clients come from a variable without a default: known at deploy time
resource "aws_bedrockagentcore_agent_runtime" "clients_variable" {
  agent_runtime_name = "clients_variable"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
  authorizer_configuration {
    custom_jwt_authorizer {
      discovery_url   = "https://idp.example.com/.well-known/openid-configuration"
      allowed_clients = var.allowed_clients
    }
  }
}
