data "aws_caller_identity" "current" {}

resource "aws_bedrockagentcore_gateway" "private" {
  name            = "private-tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

# any principal, but only through one VPC (the provider's example); the account's own root
resource "aws_bedrockagentcore_resource_policy" "private" {
  resource_arn = aws_bedrockagentcore_gateway.private.gateway_arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "bedrock-agentcore:InvokeGateway"
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceVpc" = "vpc-1a2b3c4d" } }
      },
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "bedrock-agentcore:*"
        Resource  = "*"
      },
    ]
  })
}
