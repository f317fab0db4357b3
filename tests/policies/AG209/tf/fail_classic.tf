resource "aws_bedrock_guardrail" "classic" {
  name                      = "classic"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    tier_config {
      tier_name = "CLASSIC"
    }
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
  }
}
