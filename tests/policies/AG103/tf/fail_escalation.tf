data "aws_iam_policy_document" "admin_ish" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
  # a Deny with a condition does not take the grant away
  statement {
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name = "agent"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "agent" {
  name   = "admin-ish"
  role   = aws_iam_role.agent.name
  policy = data.aws_iam_policy_document.admin_ish.json
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

# sts:AssumeRole on every role, through an attached customer managed policy
resource "aws_iam_role" "runtime" {
  name = "runtime"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "hop" {
  name = "hop"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole"], Resource = "arn:aws:iam::*:role/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "runtime_hop" {
  role       = aws_iam_role.runtime.name
  policy_arn = aws_iam_policy.hop.arn
}

resource "aws_bedrockagentcore_agent_runtime" "rt" {
  agent_runtime_name = "rt"
  role_arn           = aws_iam_role.runtime.arn
}

# PowerUserAccess: everything but IAM on every resource, so lambda:UpdateFunctionCode and
# sts:AssumeRole on every resource (its document is known; other AWS managed ones are not analyzed)
resource "aws_iam_role" "memory" {
  name = "memory"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "memory_power" {
  role       = aws_iam_role.memory.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

# AdministratorAccess with the partition read at apply time
data "aws_partition" "current" {}

resource "aws_iam_role" "browser" {
  name = "browser"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"]
}
