resource "aws_bedrockagentcore_gateway" "tickets" {
  name            = "tickets"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_gateway_target" "tickets" {
  name               = "tickets"
  gateway_identifier = aws_bedrockagentcore_gateway.tickets.gateway_id

  credential_provider_configuration {
    gateway_iam_role {}
  }

  target_configuration {
    mcp {
      lambda {
        lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:tickets"
        tool_schema {
          inline_payload {
            name        = "search_tickets"
            description = "Searches tickets"
            input_schema {
              type = "object"
            }
          }
          inline_payload {
            name        = "create_ticket"
            description = "Opens a new ticket"
            input_schema {
              type = "object"
            }
          }
        }
      }
    }
  }
}
