resource "aws_iam_role" "tool_exec" {
  name = "tool-exec"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "scoped" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tool_exec.arn]
  }
  statement {
    actions   = ["lambda:CreateFunction", "lambda:InvokeFunction", "iam:GetRole", "iam:List*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "kb" {
  name = "kb"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "kb" {
  name   = "scoped"
  role   = aws_iam_role.kb.id
  policy = data.aws_iam_policy_document.scoped.json
}
