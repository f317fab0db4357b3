variable "model" {
  type = string
}

variable "flow_arn" {
  type = string
}

# no guardrail, and whether the knowledge-base node generates text depends on a variable without a default
resource "aws_bedrockagent_flow" "model_variable" {
  name               = "model-variable"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"

  definition {
    node {
      name = "Docs"
      type = "KnowledgeBase"
      configuration {
        knowledge_base {
          knowledge_base_id = "KB12345678"
          model_id          = var.model
        }
      }
    }
  }
}

# a version of a flow the module is given
resource "awscc_bedrock_flow_version" "elsewhere" {
  flow_arn = var.flow_arn
}

# awscc's flow whose definition is in an S3 object
resource "awscc_bedrock_flow" "in_s3" {
  name               = "in-s3"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"
  definition_s3_location = {
    bucket = "flow-definitions"
    key    = "flows/in-s3.json"
  }
}
