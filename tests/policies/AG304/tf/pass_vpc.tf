resource "aws_bedrockagentcore_agent_runtime" "private" {
  agent_runtime_name = "private_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = ["subnet-0a1b2c3d"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
