variable "image_key_arn" {
  type = string
}

# the key comes from a variable without a default
resource "aws_ecr_repository" "chosen" {
  name = "tools/chosen"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.image_key_arn
  }
}

resource "aws_bedrockagentcore_agent_runtime" "chosen" {
  agent_runtime_name = "chosen_rt"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "${aws_ecr_repository.chosen.repository_url}:1.0"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
