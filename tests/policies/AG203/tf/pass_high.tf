locals {
  filters = {
    HATE          = "HIGH"
    PROMPT_ATTACK = "HIGH"
  }
}

resource "aws_bedrock_guardrail" "strict" {
  name                      = "strict"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
      input_action    = "BLOCK"
    }
  }
}

# a dynamic block over a known map
resource "aws_bedrock_guardrail" "dynamic" {
  name                      = "dynamic"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    dynamic "filters_config" {
      for_each = local.filters
      content {
        type            = filters_config.key
        input_strength  = filters_config.value
        output_strength = filters_config.key == "PROMPT_ATTACK" ? "NONE" : filters_config.value
      }
    }
  }
}
