variable "subnet_ids" {
  default = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_lambda_function" "in_vpc" {
  function_name = "in-vpc"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_bedrockagent_agent_action_group" "in_vpc" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "tools"
  action_group_executor {
    lambda = aws_lambda_function.in_vpc.arn
  }
}
