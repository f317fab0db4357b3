variable "extra_policy_arn" {
  type = string
}

resource "aws_iam_role" "runtime" {
  name = "runtime"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "runtime_extra" {
  role       = aws_iam_role.runtime.name
  policy_arn = var.extra_policy_arn
}
