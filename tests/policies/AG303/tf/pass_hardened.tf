resource "aws_vpc_endpoint" "scoped" {
  vpc_id              = "vpc-0a1b2c3d"
  service_name        = "com.amazonaws.us-east-1.bedrock-agentcore"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint_policy" "scoped" {
  vpc_endpoint_id = aws_vpc_endpoint.scoped.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "bedrock-agentcore:InvokeAgentRuntime"
      Resource  = "*"
    }]
  })
}

# a Gateway endpoint is not judged
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0a1b2c3d"
  service_name = "com.amazonaws.us-east-1.s3"
}
