# Two roles of agent compute that may call models without a registered guardrail: a runtime role with the AWS
# managed AmazonBedrockFullAccess policy, and one whose condition names a guardrail that is not registered.
data "aws_iam_policy_document" "agentcore" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock-agentcore.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "full" {
  name               = "runtime-full"
  assume_role_policy = data.aws_iam_policy_document.agentcore.json
}

resource "aws_iam_role_policy_attachment" "full" {
  role       = aws_iam_role.full.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
}

resource "aws_iam_role" "other_guardrail" {
  name               = "runtime-other-guardrail"
  assume_role_policy = data.aws_iam_policy_document.agentcore.json
}

resource "aws_iam_role_policy" "other_guardrail" {
  role = aws_iam_role.other_guardrail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["bedrock:InvokeModel"]
      Resource  = "*"
      Condition = { StringEquals = { "bedrock:GuardrailIdentifier" = "arn:aws:bedrock:us-east-1:123456789012:guardrail/unreviewed:1" } }
    }]
  })
}

resource "aws_bedrockagentcore_agent_runtime" "full" {
  agent_runtime_name = "full_runtime"
  role_arn           = aws_iam_role.full.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}

resource "aws_bedrockagentcore_agent_runtime" "other_guardrail" {
  agent_runtime_name = "other_guardrail_runtime"
  role_arn           = aws_iam_role.other_guardrail.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/b:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
