resource "aws_kms_key" "images" {
  description = "agent images"
}

# a customer-managed key; BASIC registry scanning on push covers tools/*
resource "aws_ecr_repository" "tools" {
  name = "tools/orders"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

resource "aws_bedrockagentcore_agent_runtime" "tools" {
  agent_runtime_name = "tools_rt"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "${aws_ecr_repository.tools.repository_url}:1.0"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
