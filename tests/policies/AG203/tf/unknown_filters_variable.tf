variable "prompt_attack_strength" {
  type = string
}

resource "aws_bedrock_guardrail" "parameterised" {
  name                      = "parameterised"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = var.prompt_attack_strength
      output_strength = "NONE"
    }
  }
}
