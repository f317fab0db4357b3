variable "marketplace_products" {
  type = list(string)
}

# the products come from an input variable
resource "aws_iam_role" "gateway" {
  name = "gateway"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock-agentcore.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "marketplace"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = "aws-marketplace:Subscribe"
        Resource  = "*"
        Condition = { "ForAnyValue:StringEquals" = { "aws-marketplace:ProductId" = var.marketplace_products } }
      }]
    })
  }
}

resource "aws_bedrockagentcore_gateway" "gateway" {
  name            = "gateway"
  role_arn        = aws_iam_role.gateway.arn
  protocol_type   = "MCP"
  authorizer_type = "AWS_IAM"
}
