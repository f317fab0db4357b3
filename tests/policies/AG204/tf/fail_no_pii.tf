resource "aws_bedrock_guardrail" "content_only" {
  name                      = "content-only"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}

resource "aws_bedrock_guardrail" "detect_only" {
  name                      = "detect-only"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  sensitive_information_policy_config {
    pii_entities_config {
      type   = "EMAIL"
      action = "NONE"
    }
  }
}

# blocking, but switched off in both directions
resource "aws_bedrock_guardrail" "switched_off" {
  name                      = "switched-off"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  sensitive_information_policy_config {
    pii_entities_config {
      type           = "EMAIL"
      action         = "BLOCK"
      input_enabled  = false
      output_enabled = false
    }
  }
}
