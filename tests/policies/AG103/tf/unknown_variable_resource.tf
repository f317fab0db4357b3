variable "deploy_role_arns" {
  type = list(string)
}

resource "aws_iam_role" "gateway" {
  name = "gateway"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Statement = [
        { Effect = "Allow", Action = "iam:PassRole", Resource = var.deploy_role_arns },
        { Effect = "Allow", Action = ["cloudformation:CreateStack"], Resource = "*" },
      ]
    })
  }
}
