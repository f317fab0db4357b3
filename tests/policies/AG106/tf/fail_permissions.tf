resource "aws_iam_role" "tool" {
  name = "tool"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "tool" {
  function_name = "tool"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
}

resource "aws_bedrockagent_agent" "agent" {
  agent_name              = "agent"
  agent_resource_role_arn = aws_iam_role.tool.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent_action_group" "tools" {
  agent_id          = aws_bedrockagent_agent.agent.agent_id
  agent_version     = "DRAFT"
  action_group_name = "tools"
  action_group_executor {
    lambda = aws_lambda_function.tool.arn
  }
}

# no source_arn
resource "aws_lambda_permission" "bedrock" {
  statement_id  = "bedrock"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.tool.function_name
  principal     = "bedrock.amazonaws.com"
}

# another service may invoke the agent's tool
resource "aws_lambda_permission" "api" {
  statement_id  = "api"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.tool.function_name
  principal     = "apigateway.amazonaws.com"
}
