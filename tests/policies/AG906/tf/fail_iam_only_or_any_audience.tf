# IAM-only inbound
resource "aws_bedrockagentcore_agent_runtime" "iam_only" {
  agent_runtime_name = "iam_only"
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

# discovery URL only: any audience
resource "aws_bedrockagentcore_agent_runtime" "any_audience" {
  agent_runtime_name = "any_audience"
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
      discovery_url = "https://idp.example.com/.well-known/openid-configuration"
    }
  }
}
