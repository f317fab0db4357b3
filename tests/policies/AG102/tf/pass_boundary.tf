data "aws_caller_identity" "current" {}

variable "boundary_arn" {
  type = string # no default: the caller must give one
}

resource "aws_iam_role" "kb" {
  name                 = "kb"
  permissions_boundary = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/agent-boundary"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "memory" {
  name                 = "memory"
  permissions_boundary = var.boundary_arn
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagentcore_memory" "mem" {
  name                      = "mem"
  event_expiry_duration     = 30
  memory_execution_role_arn = aws_iam_role.memory.arn
}
