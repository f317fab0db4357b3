variable "use_guardrail" {
  default = false
}

# a dynamic block over a known empty collection: no guardrail
resource "aws_bedrockagent_agent" "toggled" {
  agent_name              = "toggled"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  dynamic "guardrail_configuration" {
    for_each = var.use_guardrail ? [1] : []
    content {
      guardrail_identifier = "gr-123"
      guardrail_version    = "1"
    }
  }
}
