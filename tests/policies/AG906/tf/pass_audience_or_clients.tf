resource "aws_bedrockagentcore_agent_runtime" "audience" {
  agent_runtime_name = "audience"
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
      discovery_url    = "https://idp.example.com/.well-known/openid-configuration"
      allowed_audience = ["orders-app"]
    }
  }
}

resource "awscc_bedrockagentcore_runtime" "cc_clients" {
  agent_runtime_name = "cc_clients"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact = {
    container_configuration = {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration = {
    network_mode = "PUBLIC"
  }
  authorizer_configuration = {
    custom_jwt_authorizer = {
      discovery_url   = "https://idp.example.com/.well-known/openid-configuration"
      allowed_clients = ["7abc123client"]
    }
  }
}
