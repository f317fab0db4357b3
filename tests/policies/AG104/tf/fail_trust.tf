# the runtime's role trusts bedrock.amazonaws.com: the runtime cannot assume it
resource "aws_iam_role" "runtime" {
  name = "runtime"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
    }]
  })
}

resource "aws_bedrockagentcore_agent_runtime" "rt" {
  agent_runtime_name = "rt"
  role_arn           = aws_iam_role.runtime.arn
}

# no confused-deputy condition
data "aws_iam_policy_document" "open_trust" {
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
  assume_role_policy = data.aws_iam_policy_document.open_trust.json
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
