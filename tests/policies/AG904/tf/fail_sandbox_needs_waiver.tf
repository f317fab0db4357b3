resource "aws_bedrockagentcore_code_interpreter" "sandbox" {
  name = "sandbox_interpreter"
  network_configuration {
    network_mode = "SANDBOX"
  }
}
