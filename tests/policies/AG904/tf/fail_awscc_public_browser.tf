# the Cloud Control provider: CloudFormation's attribute names in snake_case, nested objects as maps
resource "awscc_bedrockagentcore_browser_custom" "cc_public" {
  name = "cc_public_browser"
  network_configuration = {
    network_mode = "PUBLIC"
  }
  recording_config = {
    enabled = true
    s3_location = {
      bucket = "recordings-123456789012"
      prefix = "sessions/"
    }
  }
}

resource "awscc_bedrockagentcore_code_interpreter_custom" "cc_vpc" {
  name = "cc_vpc_interpreter"
  network_configuration = {
    network_mode = "VPC"
    vpc_config = {
      subnets         = ["subnet-0123456789abcdef0"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
