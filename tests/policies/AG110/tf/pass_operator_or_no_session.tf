# named in operator_principals (ops-*)
resource "aws_iam_role" "ops" {
  name = "ops-oncall"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.current.account_id }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "sessions"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = ["bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"], Resource = "*" }]
    })
  }
}

# carries the operator tag
resource "aws_iam_role" "tagged" {
  name = "incident"
  tags = { "agentgov:operator" = "true" }
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.current.account_id }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "sessions"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "bedrock-agentcore:InvokeAgentRuntimeCommand", Resource = "*" }]
    })
  }
}

# invokes runtimes (not a command session) and reads logs
resource "aws_iam_role" "client" {
  name = "client"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "invoke"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = ["bedrock-agentcore:InvokeAgentRuntime", "logs:GetLogEvents"], Resource = "*" }]
    })
  }
}

# no policy of its own, and its group reads logs only
resource "aws_iam_user" "reader" {
  name = "reader"
}

resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy_attachment" "readers" {
  group      = aws_iam_group.readers.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "reader" {
  user   = aws_iam_user.reader.name
  groups = [aws_iam_group.readers.name]
}

resource "aws_iam_user" "plain" {
  name = "plain"
}
