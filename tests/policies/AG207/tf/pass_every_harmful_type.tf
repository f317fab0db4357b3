locals {
  harmful = toset(["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"])
}

# a dynamic block over every harmful type, input HIGH, output MEDIUM (the floor), actions BLOCK by default
resource "aws_bedrock_guardrail" "strict" {
  name                      = "strict"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    dynamic "filters_config" {
      for_each = local.harmful
      content {
        type            = filters_config.value
        input_strength  = "HIGH"
        output_strength = "MEDIUM"
      }
    }
  }
}
