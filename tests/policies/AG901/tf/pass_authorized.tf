resource "aws_bedrockagentcore_gateway" "jwt" {
  name            = "jwt"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "CUSTOM_JWT"
  protocol_type   = "MCP"

  authorizer_configuration {
    custom_jwt_authorizer {
      discovery_url   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/openid-configuration"
      allowed_clients = ["client1"]
    }
  }
}

resource "aws_bedrockagentcore_gateway" "iam" {
  name            = "iam"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_policy_engine" "shared" {
  name = "shared_engine"
}

resource "aws_bedrockagentcore_gateway" "authn_enforced" {
  name            = "authn-enforced"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AUTHENTICATE_ONLY"
  protocol_type   = "MCP"

  policy_engine_configuration {
    arn  = aws_bedrockagentcore_policy_engine.shared.policy_engine_arn
    mode = "ENFORCE"
  }
}
