# Example: a Bedrock agent with one action group, in Terraform. It has the
# mistakes agentgov exists to catch (see the comments); `agentgov scan examples/`
# reports them with file:line.

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      owner               = "team-support"
      environment         = "production"
      data-classification = "internal"
    }
  }
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

data "aws_iam_policy_document" "bedrock_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name               = "support-agent"
  assume_role_policy = data.aws_iam_policy_document.bedrock_trust.json
}

data "aws_iam_policy_document" "agent" {
  statement {
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
  }
  statement {
    actions   = ["iam:PassRole"] # AG101: pass any role to any service
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "agent" {
  name   = "agent"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}

resource "aws_bedrock_guardrail" "support" {
  name                      = "support"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't help with that."
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}

resource "aws_bedrock_guardrail_version" "support" {
  guardrail_arn = aws_bedrock_guardrail.support.guardrail_arn
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You answer customer questions about their tickets."
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.support.version
  }
}

resource "aws_iam_role" "tool" {
  name = "support-tool"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "tickets" {
  function_name = "support-tickets"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "tickets.zip"
  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = ["sg-0123456789abcdef0"]
  }
  environment {
    variables = {
      TICKETS_TABLE = "tickets"
      ZENDESK_TOKEN = "zd-4f9a1c7e2b8d6a3f" # AG402: a literal token
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "tickets" {
  agent_id          = aws_bedrockagent_agent.support.agent_id
  agent_version     = "DRAFT"
  action_group_name = "tickets"
  action_group_executor {
    lambda = aws_lambda_function.tickets.arn
  }
}

resource "aws_bedrockagent_agent_alias" "live" {
  agent_id         = aws_bedrockagent_agent.support.agent_id
  agent_alias_name = "live"
  routing_configuration {
    agent_version = aws_bedrockagent_agent.support.agent_version # AG701: always DRAFT
  }
}
