resource "aws_secretsmanager_secret" "api" {
  name = "api"
}

resource "aws_lambda_function" "tidy" {
  function_name = "tidy"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      API_KEY_SECRET_ARN = aws_secretsmanager_secret.api.arn
      TOKEN_PARAMETER    = "/prod/tidy/token"
      LOG_LEVEL          = "INFO"
    }
  }
}

resource "aws_lambda_permission" "tidy" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.tidy.arn
  principal     = "bedrock.amazonaws.com"
}
