resource "aws_bedrockagentcore_browser" "unrecorded" {
  name = "unrecorded_browser"
  network_configuration {
    network_mode = "VPC"
    vpc_config {
      subnets         = ["subnet-0123456789abcdef0"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

resource "aws_bedrockagentcore_browser" "recording_off" {
  name = "recording_off_browser"
  network_configuration {
    network_mode = "VPC"
    vpc_config {
      subnets         = ["subnet-0123456789abcdef0"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
  recording {
    enabled = false
  }
}
