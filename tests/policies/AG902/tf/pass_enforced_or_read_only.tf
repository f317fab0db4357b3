resource "aws_bedrockagentcore_policy_engine" "orders" {
  name = "orders_engine"
}

resource "aws_bedrockagentcore_gateway" "orders" {
  name            = "orders"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"

  policy_engine_configuration {
    arn  = aws_bedrockagentcore_policy_engine.orders.policy_engine_arn
    mode = "ENFORCE"
  }
}

resource "aws_bedrockagentcore_gateway_target" "orders" {
  name               = "orders"
  gateway_identifier = aws_bedrockagentcore_gateway.orders.gateway_id

  target_configuration {
    mcp {
      lambda {
        lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:orders"
        tool_schema {
          inline_payload {
            name        = "terminate_subscription"
            description = "Terminates a subscription"
            input_schema {
              type = "object"
            }
          }
        }
      }
    }
  }
}

resource "aws_bedrockagentcore_gateway" "research" {
  name            = "research"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_gateway_target" "wikipedia" {
  name               = "wikipedia"
  gateway_identifier = aws_bedrockagentcore_gateway.research.gateway_id

  target_configuration {
    mcp {
      lambda {
        lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:wikipedia"
        tool_schema {
          inline_payload {
            name        = "wikipedia_get_article"
            description = "Get full content of a specific Wikipedia article by title."
            input_schema {
              type = "object"
            }
          }
        }
      }
    }
  }
}

resource "aws_bedrockagentcore_gateway_target" "catalog" {
  name               = "catalog"
  gateway_identifier = aws_bedrockagentcore_gateway.research.gateway_id

  target_configuration {
    mcp {
      api_gateway {
        rest_api_id = "abc123"
        stage       = "prod"
        api_gateway_tool_configuration {
          tool_filter {
            filter_path = "/products/*"
            methods     = ["GET"]
          }
        }
      }
    }
  }
}
