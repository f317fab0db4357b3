resource "aws_bedrock_guardrail" "pii" {
  name                      = "pii"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  sensitive_information_policy_config {
    pii_entities_config {
      type   = "EMAIL"
      action = "ANONYMIZE"
    }
    regexes_config {
      name    = "account-number"
      pattern = "ACC-[0-9]{10}"
      action  = "BLOCK"
    }
  }
}

resource "aws_bedrock_guardrail" "regex_only" {
  name                      = "regex-only"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  sensitive_information_policy_config {
    regexes_config {
      name          = "order-id"
      pattern       = "ORD-[0-9]{8}"
      action        = "NONE"
      output_action = "BLOCK"
    }
  }
}
