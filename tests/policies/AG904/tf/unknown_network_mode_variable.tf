variable "interpreter_network_mode" {
  type = string
}

resource "aws_bedrockagentcore_code_interpreter" "configurable" {
  name = "configurable_interpreter"
  network_configuration {
    network_mode = var.interpreter_network_mode
  }
}
