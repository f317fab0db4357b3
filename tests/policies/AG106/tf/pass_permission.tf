resource "aws_lambda_function" "lookup" {
  function_name = "lookup"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "lookup.zip"
}

resource "aws_bedrockagent_agent" "lookup" {
  agent_name              = "lookup"
  agent_resource_role_arn = aws_iam_role.tool.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent_action_group" "lookup" {
  agent_id          = aws_bedrockagent_agent.lookup.agent_id
  agent_version     = "DRAFT"
  action_group_name = "lookup"
  action_group_executor {
    lambda = aws_lambda_function.lookup.arn
  }
}

resource "aws_lambda_permission" "lookup" {
  statement_id  = "bedrock"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.lookup.function_name
  principal     = "bedrock.amazonaws.com"
  source_arn    = aws_bedrockagent_agent.lookup.agent_arn
}
