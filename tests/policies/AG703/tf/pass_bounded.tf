variable "tool_concurrency" {
  default = 5
}

resource "aws_lambda_function" "bounded" {
  function_name                  = "bounded"
  role                           = "arn:aws:iam::123456789012:role/tool"
  runtime                        = "python3.12"
  handler                        = "index.handler"
  filename                       = "tool.zip"
  timeout                        = 45
  reserved_concurrent_executions = var.tool_concurrency
}

resource "aws_bedrockagent_agent_action_group" "bounded" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "bounded"
  action_group_executor {
    lambda = aws_lambda_function.bounded.arn
  }
}
