resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "unrelated" {
  name         = "unrelated"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_lambda_function" "tool" {
  function_name = "tool"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      SESSION_TABLE = aws_dynamodb_table.sessions.name
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "tool" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "tool"
  action_group_executor {
    lambda = aws_lambda_function.tool.arn
  }
}
