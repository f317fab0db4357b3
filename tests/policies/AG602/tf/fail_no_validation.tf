resource "aws_bedrockagentcore_agent_runtime" "watched" {
  agent_runtime_name = "watched"
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

# records AgentCore data events, multi-region, but no log-file validation and logging stopped
resource "aws_cloudtrail" "agents" {
  name                  = "agents"
  s3_bucket_name        = "acme-trail"
  is_multi_region_trail = true
  enable_logging        = false
  advanced_event_selector {
    name = "agentcore"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::BedrockAgentCore::Runtime"]
    }
  }
}
