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

# AgentCore gateway targets: the gateway invokes the function with its own role (no resource
# policy needed), or through a permission for bedrock-agentcore.amazonaws.com scoped to the gateway
resource "aws_bedrockagentcore_gateway" "tools" {
  name            = "tools"
  role_arn        = aws_iam_role.tool.arn
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_lambda_function" "search" {
  function_name = "search"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "search.zip"
}

resource "aws_lambda_function" "fetch" {
  function_name = "fetch"
  role          = aws_iam_role.tool.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fetch.zip"
}

resource "aws_bedrockagentcore_gateway_target" "search" {
  name               = "search"
  gateway_identifier = aws_bedrockagentcore_gateway.tools.gateway_id
  target_configuration {
    mcp {
      lambda {
        lambda_arn = aws_lambda_function.search.arn
      }
    }
  }
}

resource "aws_bedrockagentcore_gateway_target" "fetch" {
  name               = "fetch"
  gateway_identifier = aws_bedrockagentcore_gateway.tools.gateway_id
  target_configuration {
    mcp {
      lambda {
        lambda_arn = aws_lambda_function.fetch.arn
      }
    }
  }
}

resource "aws_lambda_permission" "fetch_from_gateway" {
  statement_id  = "gateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fetch.function_name
  principal     = "bedrock-agentcore.amazonaws.com"
  source_arn    = aws_bedrockagentcore_gateway.tools.gateway_arn
}
