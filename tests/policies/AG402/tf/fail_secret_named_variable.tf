# the variables' names say secret (anthropic_api_key, github_token): their values land in plaintext in the
# function's configuration whatever the environment variable is called
variable "anthropic_api_key" {
  type = string
}

variable "github_token" {
  type      = string
  sensitive = true
}

variable "log_level" {
  type = string
}

resource "aws_lambda_function" "via_variable" {
  function_name = "via-variable"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      ANTHROPIC = var.anthropic_api_key
      GH_AUTH   = "Bearer ${var.github_token}"
      LOG_LEVEL = var.log_level
    }
  }
}

resource "aws_lambda_function" "plain_variable" {
  function_name = "plain-variable"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      LOG_LEVEL = var.log_level
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "via_variable" {
  action_group_name = "via-variable"
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = aws_lambda_function.via_variable.arn
  }
}

resource "aws_bedrockagent_agent_action_group" "plain_variable" {
  action_group_name = "plain-variable"
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = aws_lambda_function.plain_variable.arn
  }
}
