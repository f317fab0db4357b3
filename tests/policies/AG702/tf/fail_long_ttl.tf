resource "aws_bedrockagent_agent" "chatty" {
  agent_name                  = "chatty"
  agent_resource_role_arn     = "arn:aws:iam::123456789012:role/agent"
  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"
  idle_session_ttl_in_seconds = 3600
}

resource "aws_bedrockagentcore_agent_runtime" "chatty" {
  agent_runtime_name = "chatty_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
  lifecycle_configuration {
    idle_runtime_session_timeout = 28800
  }
}
