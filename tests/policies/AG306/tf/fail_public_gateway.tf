resource "aws_bedrockagentcore_gateway" "public" {
  name            = "public-tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

# any principal, limited only by a referer-like condition policyuniverse does not count
resource "aws_bedrockagentcore_resource_policy" "public" {
  resource_arn = aws_bedrockagentcore_gateway.public.gateway_arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "bedrock-agentcore:InvokeGateway"
      Resource  = "*"
      Condition = { StringLike = { "aws:UserAgent" = "agent/*" } }
    }]
  })
}
