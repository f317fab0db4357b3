# the executor is an alias (aws_lambda_alias.arn) or a qualified ARN written out: both run the function
resource "aws_iam_role" "alias_tool" {
  name = "alias-tool"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "alias_tool" {
  function_name = "alias-tool"
  role          = aws_iam_role.alias_tool.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "tool.zip"
  publish       = true
}

resource "aws_lambda_alias" "alias_tool_live" {
  name             = "live"
  function_name    = aws_lambda_function.alias_tool.function_name
  function_version = aws_lambda_function.alias_tool.version
}

resource "aws_lambda_function" "qualified_tool" {
  function_name = "qualified-tool"
  role          = aws_iam_role.alias_tool.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "tool.zip"
}

resource "aws_iam_role" "alias_agent" {
  name = "alias-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagent_agent" "alias" {
  agent_name              = "alias"
  agent_resource_role_arn = aws_iam_role.alias_agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent_action_group" "alias_tool" {
  action_group_name = "tool"
  agent_id          = aws_bedrockagent_agent.alias.agent_id
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = aws_lambda_alias.alias_tool_live.arn
  }
}

resource "aws_bedrockagent_agent_action_group" "qualified_tool" {
  action_group_name = "qualified"
  agent_id          = aws_bedrockagent_agent.alias.agent_id
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:qualified-tool:7"
  }
}
