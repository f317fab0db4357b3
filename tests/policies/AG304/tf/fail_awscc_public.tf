# The Cloud Control provider's runtime: nested objects are maps, names as in CloudFormation
resource "awscc_bedrockagentcore_runtime" "cc_public" {
  agent_runtime_name = "cc_public"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact = {
    container_configuration = {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration = {
    network_mode = "PUBLIC"
  }
}

resource "awscc_bedrockagentcore_runtime" "cc_private" {
  agent_runtime_name = "cc_private"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact = {
    container_configuration = {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration = {
    network_mode = "VPC"
    network_mode_config = {
      subnets         = ["subnet-0a1b2c3d"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
