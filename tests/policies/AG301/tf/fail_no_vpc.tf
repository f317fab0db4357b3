resource "aws_lambda_function" "tool" {
  function_name = "tool"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}

resource "aws_lambda_permission" "bedrock" {
  statement_id  = "bedrock"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.tool.function_name
  principal     = "bedrock.amazonaws.com"
}

# a function nothing lets an agent reach: not judged
resource "aws_lambda_function" "unrelated" {
  function_name = "unrelated"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}
