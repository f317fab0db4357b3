# KMS without a key (the AWS-managed aws/ecr key); the registry is BASIC and nothing scans the repository
resource "aws_ecr_registry_scanning_configuration" "basic" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "tools/*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "awskey" {
  name = "agents/awskey"
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_bedrockagentcore_agent_runtime" "awskey" {
  agent_runtime_name = "awskey_rt"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "${aws_ecr_repository.awskey.repository_url}:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
