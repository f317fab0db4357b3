resource "aws_bedrockagentcore_gateway" "authn_only" {
  name            = "authn-only"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AUTHENTICATE_ONLY"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_gateway" "authn_log_only" {
  name            = "authn-log-only"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AUTHENTICATE_ONLY"
  protocol_type   = "MCP"

  policy_engine_configuration {
    arn  = aws_bedrockagentcore_policy_engine.shared.policy_engine_arn
    mode = "LOG_ONLY"
  }
}
