# AWS managed policies attached by attachment resources, by ARN and by a data source looked up by name:
# their documents are judged (AmazonBedrockFullAccess: bedrock:*; AWSLambdaBasicExecutionRole: logs writes on *)
data "aws_partition" "current" {}

data "aws_iam_policy" "lambda_basic" {
  name = "AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role" "managed_agent" {
  name = "managed-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "managed_agent_full" {
  role       = aws_iam_role.managed_agent.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonBedrockFullAccess"
}

resource "aws_bedrockagent_agent" "managed" {
  agent_name              = "managed"
  agent_resource_role_arn = aws_iam_role.managed_agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_iam_role" "managed_tool" {
  name = "managed-tool"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "managed_tool_basic" {
  role       = aws_iam_role.managed_tool.name
  policy_arn = data.aws_iam_policy.lambda_basic.arn
}

resource "aws_lambda_function" "managed_tool" {
  function_name = "managed-tool"
  role          = aws_iam_role.managed_tool.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "tool.zip"
}

resource "aws_bedrockagent_agent_action_group" "managed_tool" {
  action_group_name = "tool"
  agent_id          = aws_bedrockagent_agent.managed.agent_id
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = aws_lambda_function.managed_tool.arn
  }
}
