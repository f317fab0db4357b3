data "aws_iam_policy_document" "runtime_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock-agentcore.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "runtime" {
  statement {
    actions   = ["aws-marketplace:Subscribe"]
    resources = ["*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws-marketplace:ProductId"
      values   = ["prod-6dw3qvchef7zy"]
    }
  }
}

resource "aws_iam_role" "runtime" {
  name               = "runtime"
  assume_role_policy = data.aws_iam_policy_document.runtime_trust.json
  inline_policy {
    name   = "marketplace"
    policy = data.aws_iam_policy_document.runtime.json
  }
}

resource "aws_bedrockagentcore_agent_runtime" "runtime" {
  agent_runtime_name = "runtime"
  role_arn           = aws_iam_role.runtime.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = "111122223333.dkr.ecr.us-east-1.amazonaws.com/r:1"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
