resource "aws_bedrockagentcore_policy_engine" "crm" {
  name = "crm_engine"
}

resource "aws_bedrockagentcore_gateway" "crm" {
  name            = "crm"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"

  policy_engine_configuration {
    arn  = aws_bedrockagentcore_policy_engine.crm.policy_engine_arn
    mode = "LOG_ONLY"
  }
}

resource "aws_bedrockagentcore_gateway_target" "crm" {
  name               = "crm"
  gateway_identifier = aws_bedrockagentcore_gateway.crm.gateway_id

  target_configuration {
    mcp {
      open_api_schema {
        inline_payload {
          payload = jsonencode({
            openapi = "3.0.0"
            info    = { title = "crm", version = "1" }
            paths = {
              "/contacts/{id}" = {
                get    = { operationId = "getContact" }
                delete = { operationId = "removeContact" }
              }
            }
          })
        }
      }
    }
  }
}
