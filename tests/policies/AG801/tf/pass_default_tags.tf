provider "aws" {
  default_tags {
    tags = {
      owner               = "team-a"
      data-classification = "internal"
    }
  }
}

resource "aws_bedrock_guardrail" "tagged" {
  name                      = "g"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  tags = {
    environment = "production"
  }
}
