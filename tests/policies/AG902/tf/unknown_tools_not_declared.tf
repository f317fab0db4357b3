variable "tool_definitions" {
  type = list(object({ name = string, description = string }))
}

resource "aws_bedrockagentcore_gateway" "dynamic" {
  name            = "dynamic"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_gateway_target" "dynamic" {
  name               = "dynamic"
  gateway_identifier = aws_bedrockagentcore_gateway.dynamic.gateway_id

  target_configuration {
    mcp {
      lambda {
        lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:dynamic"
        tool_schema {
          dynamic "inline_payload" {
            for_each = var.tool_definitions
            content {
              name        = inline_payload.value.name
              description = inline_payload.value.description
              input_schema {
                type = "object"
              }
            }
          }
        }
      }
    }
  }
}

resource "aws_bedrockagentcore_gateway_target" "remote" {
  name               = "remote"
  gateway_identifier = aws_bedrockagentcore_gateway.dynamic.gateway_id

  target_configuration {
    mcp {
      mcp_server {
        endpoint = "https://mcp.example.com/mcp"
      }
    }
  }
}
