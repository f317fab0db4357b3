resource "aws_iam_role" "kb" {
  name = "kb"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "kb" {
  name = "kb"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::docs/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "kb" {
  role       = aws_iam_role.kb.name
  policy_arn = aws_iam_policy.kb.arn
}

resource "aws_iam_role_policy_attachment" "kb_readonly" {
  role       = aws_iam_role.kb.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockReadOnly"
}

data "aws_iam_policy" "lambda_basic" {
  name = "AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role" "gateway_fn" {
  name = "gateway-fn"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "gateway_fn" {
  role       = aws_iam_role.gateway_fn.name
  policy_arn = data.aws_iam_policy.lambda_basic.arn
}
