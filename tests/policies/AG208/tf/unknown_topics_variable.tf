variable "topics" {
  type = list(object({ name = string, definition = string }))
}

# the denied topics come from a variable without a default
resource "aws_bedrock_guardrail" "from_variable" {
  name                      = "from-variable"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  topic_policy_config {
    dynamic "topics_config" {
      for_each = var.topics
      content {
        name       = topics_config.value.name
        definition = topics_config.value.definition
        type       = "DENY"
      }
    }
  }
}
