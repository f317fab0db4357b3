resource "aws_secretsmanager_secret" "api" {
  name       = "tools/api"
  kms_key_id = "alias/aws/secretsmanager"
}

resource "aws_iam_role" "agent" {
  name = "agent"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "agent_secret" {
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.api.arn }]
  })
}

resource "aws_bedrockagent_agent" "api" {
  agent_name              = "api"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
