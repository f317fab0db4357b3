resource "aws_bedrock_guardrail" "standard" {
  name                      = "standard"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  cross_region_config {
    guardrail_profile_identifier = "us.guardrail.v1:0"
  }
  content_policy_config {
    tier_config {
      tier_name = "STANDARD"
    }
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
  }
}
