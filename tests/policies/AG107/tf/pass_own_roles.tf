resource "aws_iam_role" "agent" {
  for_each = toset(["support", "triage"])
  name     = "agent-${each.key}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support"
  agent_resource_role_arn = aws_iam_role.agent["support"].arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent" "triage" {
  agent_name              = "triage"
  agent_resource_role_arn = aws_iam_role.agent["triage"].arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
