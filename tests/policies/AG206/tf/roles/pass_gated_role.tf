# A runtime role that may invoke models only with the registered guardrail prod-guardrail's id (ArnLike on any version).
resource "aws_iam_role" "gated" {
  name = "runtime-gated"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "bedrock-agentcore.amazonaws.com" } }]
  })
  inline_policy {
    name = "models"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
        Resource  = "*"
        Condition = { ArnLike = { "bedrock:GuardrailIdentifier" = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr9zzz8yyy7x:*" } }
      }]
    })
  }
}

resource "aws_bedrockagentcore_agent_runtime" "gated" {
  agent_runtime_name = "gated_runtime"
  role_arn           = aws_iam_role.gated.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
