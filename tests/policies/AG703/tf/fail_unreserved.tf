# reserved_concurrent_executions defaults to -1: unreserved
resource "aws_lambda_function" "unreserved" {
  function_name = "unreserved"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  timeout       = 30
}

resource "aws_lambda_function" "explicit_unreserved" {
  function_name                  = "explicit-unreserved"
  role                           = "arn:aws:iam::123456789012:role/tool"
  runtime                        = "python3.12"
  handler                        = "index.handler"
  filename                       = "tool.zip"
  timeout                        = 300
  reserved_concurrent_executions = -1
}

resource "aws_bedrockagent_agent_action_group" "unreserved" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "unreserved"
  action_group_executor {
    lambda = aws_lambda_function.unreserved.arn
  }
}

resource "aws_bedrockagent_agent_action_group" "explicit_unreserved" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "explicit"
  action_group_executor {
    lambda = aws_lambda_function.explicit_unreserved.arn
  }
}
