variable "tier" {
  type = string
}

# the tier is a variable without a default
resource "aws_bedrock_guardrail" "variable" {
  name                      = "variable"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    tier_config {
      tier_name = var.tier
    }
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
  }
}
