data "aws_partition" "current" {}

resource "aws_iam_role" "agent" {
  name = "agent"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"]
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_iam_role" "tool" {
  name = "tool"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# the partition is read at apply time; the policy is still AWS's AmazonS3FullAccess
resource "aws_iam_role_policy_attachment" "tool_s3" {
  role       = aws_iam_role.tool.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_lambda_function" "tool" {
  function_name = "tool"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}

resource "aws_bedrockagent_agent_action_group" "tools" {
  agent_id          = aws_bedrockagent_agent.agent.agent_id
  agent_version     = "DRAFT"
  action_group_name = "tools"
  action_group_executor {
    lambda = aws_lambda_function.tool.arn
  }
}

# an AWS managed policy looked up by name with a data source
data "aws_iam_policy" "bedrock_full" {
  name = "AmazonBedrockFullAccess"
}

resource "aws_iam_role" "kb_by_name" {
  name = "kb-by-name"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "kb_by_name" {
  role       = aws_iam_role.kb_by_name.name
  policy_arn = data.aws_iam_policy.bedrock_full.arn
}
