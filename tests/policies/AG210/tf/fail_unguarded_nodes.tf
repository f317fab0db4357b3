# an inline prompt node without a guardrail, and a knowledge-base node with a model whose guardrail has no version
resource "aws_bedrockagent_flow" "unguarded" {
  name               = "unguarded"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"

  definition {
    node {
      name = "FlowInput"
      type = "Input"
      configuration {
        input {}
      }
      output {
        name = "document"
        type = "String"
      }
    }
    node {
      name = "Answer"
      type = "Prompt"
      configuration {
        prompt {
          source_configuration {
            inline {
              model_id      = "amazon.titan-text-express-v1"
              template_type = "TEXT"
              template_configuration {
                text {
                  text = "Write about {{topic}}."
                }
              }
            }
          }
        }
      }
      input {
        expression = "$.data"
        name       = "topic"
        type       = "String"
      }
    }
    node {
      name = "Docs"
      type = "KnowledgeBase"
      configuration {
        knowledge_base {
          knowledge_base_id = "KB12345678"
          model_id          = "amazon.nova-lite-v1:0"
          guardrail_configuration {
            guardrail_identifier = "gr1234abcd"
            guardrail_version    = ""
          }
        }
      }
    }
  }
}

# its published version (the awscc provider's; the aws provider has none)
resource "awscc_bedrock_flow_version" "unguarded" {
  flow_arn = aws_bedrockagent_flow.unguarded.arn
}
