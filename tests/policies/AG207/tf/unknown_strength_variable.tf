variable "strength" {
  type = string
}

# the input strength comes from a variable without a default
resource "aws_bedrock_guardrail" "variable" {
  name                      = "variable"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    dynamic "filters_config" {
      for_each = toset(["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"])
      content {
        type            = filters_config.value
        input_strength  = var.strength
        output_strength = "HIGH"
      }
    }
  }
}
