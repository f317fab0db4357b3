variable "private_subnet_ids" {
  type = list(string)
}

resource "aws_lambda_function" "elsewhere" {
  function_name = "elsewhere"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_bedrockagent_agent_action_group" "elsewhere" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "elsewhere"
  action_group_executor {
    lambda = aws_lambda_function.elsewhere.arn
  }
}
