resource "aws_lambda_function" "traced" {
  function_name = "traced"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  tracing_config {
    mode = "Active"
  }
}

resource "aws_bedrockagent_agent_action_group" "traced" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "traced"
  action_group_executor {
    lambda = aws_lambda_function.traced.arn
  }
}
