resource "aws_iam_role" "shared" {
  name = "agents-shared"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# two agents and a runtime on one role
resource "aws_bedrockagent_agent" "orders" {
  agent_name              = "orders"
  agent_resource_role_arn = aws_iam_role.shared.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent" "billing" {
  agent_name              = "billing"
  agent_resource_role_arn = aws_iam_role.shared.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagentcore_agent_runtime" "research" {
  agent_runtime_name = "research"
  role_arn           = aws_iam_role.shared.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "111122223333.dkr.ecr.us-east-1.amazonaws.com/r:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
