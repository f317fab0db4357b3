resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = "not-a-literal-in-this-test"
}

variable "partner_api_key" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "leaky" {
  function_name = "leaky"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      DB_PASSWORD     = aws_secretsmanager_secret_version.db.secret_string # the value, not a pointer
      PARTNER_API_KEY = var.partner_api_key                                 # lands in plaintext
      SLACK_TOKEN     = "xoxb-1234567890-abcdefghijklmnop"
    }
  }
}

resource "aws_lambda_permission" "leaky" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.leaky.arn
  principal     = "bedrock.amazonaws.com"
}
