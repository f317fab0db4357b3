resource "aws_bedrockagentcore_code_interpreter" "public" {
  name = "public_interpreter"
  network_configuration {
    network_mode = "PUBLIC"
  }
}

resource "aws_bedrockagentcore_browser" "public" {
  name = "public_browser"
  network_configuration {
    network_mode = "PUBLIC"
  }
  recording {
    enabled = true
    s3_location {
      bucket = "recordings-123456789012"
      prefix = "sessions/"
    }
  }
}
