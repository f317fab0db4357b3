variable "permissions_boundary_arn" {
  type    = string
  default = null # the module deploys without a boundary unless the caller passes one
}

resource "aws_iam_role" "agent" {
  name                 = "agent"
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_iam_role" "gateway" {
  name = "gateway"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagentcore_gateway" "gw" {
  name            = "gw"
  role_arn        = aws_iam_role.gateway.arn
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}
