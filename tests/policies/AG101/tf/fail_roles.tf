data "aws_iam_policy_document" "bedrock_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name               = "agent"
  assume_role_policy = data.aws_iam_policy_document.bedrock_trust.json
  inline_policy {
    name = "agentcore"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["bedrock-agentcore:*"], Resource = "*" }]
    })
  }
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

# an action-group function whose role gets write access to every table through an attached policy
resource "aws_iam_role" "tool" {
  name = "tool"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "tables" {
  statement {
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "tables" {
  name   = "tables"
  policy = data.aws_iam_policy_document.tables.json
}

resource "aws_iam_role_policy_attachment" "tool_tables" {
  role       = aws_iam_role.tool.name
  policy_arn = aws_iam_policy.tables.arn
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

# heredoc JSON with an interpolated ARN is parsed too
resource "aws_iam_role_policy" "kb" {
  name = "kb"
  role = aws_iam_role.kb.id
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.docs.arn}/*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
      ]
    }
  JSON
}

resource "aws_s3_bucket" "docs" {
  bucket = "docs"
}

resource "aws_iam_role" "kb" {
  name               = "kb"
  assume_role_policy = data.aws_iam_policy_document.bedrock_trust.json
}
