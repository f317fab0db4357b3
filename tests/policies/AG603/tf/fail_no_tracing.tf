resource "aws_lambda_function" "untraced" {
  function_name = "untraced"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}

resource "aws_lambda_function" "passthrough" {
  function_name = "passthrough"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  tracing_config {
    mode = "PassThrough"
  }
}

resource "aws_bedrockagent_agent_action_group" "untraced" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "untraced"
  action_group_executor {
    lambda = aws_lambda_function.untraced.arn
  }
}

resource "aws_lambda_permission" "passthrough" {
  statement_id  = "bedrock"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.passthrough.function_name
  principal     = "bedrock.amazonaws.com"
}
