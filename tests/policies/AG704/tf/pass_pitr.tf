resource "aws_dynamodb_table" "memory" {
  name         = "memory"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_iam_role" "memory_tool" {
  name = "memory-tool"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "memory_tool" {
  role = aws_iam_role.memory_tool.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem", "dynamodb:GetItem"]
      Resource = aws_dynamodb_table.memory.arn
    }]
  })
}

resource "aws_lambda_function" "memory_tool" {
  function_name = "memory-tool"
  role          = aws_iam_role.memory_tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}

resource "aws_lambda_permission" "memory_tool" {
  statement_id  = "bedrock"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.memory_tool.function_name
  principal     = "bedrock.amazonaws.com"
}
