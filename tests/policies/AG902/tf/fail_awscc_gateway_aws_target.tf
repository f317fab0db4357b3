# an awscc gateway with a target of the aws provider (as terraform-aws-agentcore builds them)
resource "awscc_bedrockagentcore_gateway" "cc_mixed" {
  name            = "cc-mixed"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_gateway_target" "cc_mixed_refunds" {
  name               = "refunds"
  gateway_identifier = awscc_bedrockagentcore_gateway.cc_mixed.gateway_identifier

  target_configuration {
    mcp {
      lambda {
        lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:refunds"
        tool_schema {
          inline_payload {
            name        = "issueRefund"
            description = "Refunds an order"
            input_schema {
              type = "object"
            }
          }
        }
      }
    }
  }
}
