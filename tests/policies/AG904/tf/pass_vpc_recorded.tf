resource "aws_s3_bucket" "recordings" {
  bucket = "recordings-bucket-123456789012"
}

resource "aws_bedrockagentcore_code_interpreter" "vpc" {
  name = "vpc_interpreter"
  network_configuration {
    network_mode = "VPC"
    vpc_config {
      subnets         = ["subnet-0123456789abcdef0"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

resource "aws_bedrockagentcore_browser" "vpc" {
  name = "vpc_browser"
  network_configuration {
    network_mode = "VPC"
    vpc_config {
      subnets         = ["subnet-0123456789abcdef0"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
  recording {
    enabled = true
    s3_location {
      bucket = aws_s3_bucket.recordings.bucket
      prefix = "sessions/"
    }
  }
}
