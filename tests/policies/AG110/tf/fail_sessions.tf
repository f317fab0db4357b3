data "aws_caller_identity" "current" {}

resource "aws_iam_role" "agent" {
  name = "orders-agent"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagentcore_agent_runtime" "orders" {
  agent_runtime_name = "orders"
  role_arn           = aws_iam_role.agent.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}

# a support role may run commands in every runtime
resource "aws_iam_role" "support" {
  name = "support"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.current.account_id }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "support" {
  role = aws_iam_role.support.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "bedrock-agentcore:InvokeAgentRuntimeCommand", Resource = "*" }]
  })
}

# a pipeline creates code interpreters and may pass the agent's role to AgentCore
resource "aws_iam_role" "pipeline" {
  name = "pipeline"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.current.account_id }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Statement = [
        { Effect = "Allow", Action = "bedrock-agentcore:CreateCodeInterpreter", Resource = "*" },
        {
          Effect    = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.agent.arn,
          Condition = { StringEquals = { "iam:PassedToService" = "bedrock-agentcore.amazonaws.com" } }
        },
      ]
    })
  }
}

# a user's own policies and its groups' are written as resources of their own
resource "aws_iam_policy" "commands" {
  name = "commands"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "bedrock-agentcore:InvokeAgentRuntimeCommand", Resource = "*" }]
  })
}

resource "aws_iam_user" "inline" {
  name = "inline"
}

resource "aws_iam_user_policy" "inline" {
  user = aws_iam_user.inline.name
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "bedrock-agentcore:InvokeAgentRuntimeCommand", Resource = "*" }]
  })
}

resource "aws_iam_user" "attached" {
  name = "attached"
}

resource "aws_iam_user_policy_attachment" "attached" {
  user       = aws_iam_user.attached.name
  policy_arn = aws_iam_policy.commands.arn
}

resource "aws_iam_user" "shared" {
  name = "shared"
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = [aws_iam_user.shared.name]
  policy_arn = aws_iam_policy.commands.arn
}

resource "aws_iam_group" "debuggers" {
  name = "debuggers"
}

resource "aws_iam_group_policy" "debuggers" {
  group = aws_iam_group.debuggers.name
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"], Resource = "*" }]
  })
}

resource "aws_iam_user" "member" {
  name = "member"
}

resource "aws_iam_user_group_membership" "member" {
  user   = aws_iam_user.member.name
  groups = [aws_iam_group.debuggers.name]
}

resource "aws_iam_group" "platform" {
  name = "platform"
}

resource "aws_iam_group_policy_attachment" "platform" {
  group      = aws_iam_group.platform.name
  policy_arn = "arn:aws:iam::aws:policy/BedrockAgentCoreFullAccess"
}

resource "aws_iam_user" "platform" {
  name = "platform-engineer"
}

resource "aws_iam_group_membership" "platform" {
  name  = "platform"
  group = aws_iam_group.platform.name
  users = [aws_iam_user.platform.name]
}
