# an AgentCore runtime's role with AgentCore permissions: whether it used them is IAM's service last accessed (live only)
resource "aws_iam_role" "runtime" {
  name = "runtime"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "agentcore"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = ["bedrock-agentcore:GetWorkloadAccessToken", "bedrock:InvokeModel"], Resource = "*" }]
    })
  }
}

resource "aws_bedrockagentcore_agent_runtime" "orders" {
  agent_runtime_name = "orders"
  role_arn           = aws_iam_role.runtime.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
