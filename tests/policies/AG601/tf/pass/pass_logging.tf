resource "aws_bedrockagent_agent" "logged" {
  agent_name              = "logged"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagentcore_agent_runtime" "logged" {
  agent_runtime_name = "logged_runtime"
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

resource "aws_cloudwatch_log_group" "bedrock" {
  name = "/bedrock/invocations"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = true
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.bedrock.name
      role_arn       = "arn:aws:iam::123456789012:role/bedrock-logging"
    }
  }
}
