resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_lambda_function" "ticket" {
  function_name = "ticket"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      TABLE = "tickets"
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "ticket" {
  agent_id          = aws_bedrockagent_agent.support.agent_id
  agent_version     = "DRAFT"
  action_group_name = "ticket"
  action_group_executor {
    lambda = aws_lambda_function.ticket.arn
  }
}
