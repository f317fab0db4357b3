data "aws_iam_policy_document" "scoped" {
  statement {
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
  }
  statement {
    actions   = ["xray:PutTraceSegments", "s3:GetObject", "cloudwatch:PutMetricData"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "scoped" {
  name = "scoped"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "scoped" {
  name   = "scoped"
  role   = aws_iam_role.scoped.name
  policy = data.aws_iam_policy_document.scoped.json
}
