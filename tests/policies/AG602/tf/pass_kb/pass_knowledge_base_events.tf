# the trail records knowledge-base data events (Retrieve, RetrieveAndGenerate) only: they count
resource "aws_bedrockagent_agent" "retrieving" {
  agent_name              = "retrieving"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-haiku-4-5-20251001-v1:0"
}

resource "aws_cloudtrail" "retrievals" {
  name                       = "retrievals"
  s3_bucket_name             = "acme-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  advanced_event_selector {
    name = "knowledge-bases"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Bedrock::KnowledgeBase"]
    }
  }
}
