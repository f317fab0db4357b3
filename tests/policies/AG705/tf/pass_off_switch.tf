resource "aws_bedrockagent_agent" "billing" {
  agent_name              = "billing-agent"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_ssm_parameter" "billing_off_switch" {
  name  = "/agentgov/billing-agent/enabled"
  type  = "String"
  value = "true"
}

resource "aws_iam_role" "invoice" {
  name = "invoice-tool"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "invoice" {
  role = aws_iam_role.invoice.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "ssm:GetParameter"
      Resource = aws_ssm_parameter.billing_off_switch.arn
    }]
  })
}

resource "aws_lambda_function" "invoice" {
  function_name = "invoice"
  role          = aws_iam_role.invoice.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      OFF_SWITCH_PARAMETER = aws_ssm_parameter.billing_off_switch.name
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "invoice" {
  agent_id          = aws_bedrockagent_agent.billing.agent_id
  agent_version     = "DRAFT"
  action_group_name = "invoice"
  action_group_executor {
    lambda = aws_lambda_function.invoice.arn
  }
}
