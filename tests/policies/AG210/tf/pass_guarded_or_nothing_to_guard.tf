resource "aws_bedrock_guardrail" "flow" {
  name                      = "flow-guardrail"
  blocked_input_messaging   = "blocked"
  blocked_outputs_messaging = "blocked"
}

resource "aws_bedrock_guardrail_version" "flow" {
  guardrail_arn = aws_bedrock_guardrail.flow.guardrail_arn
}

# every prompt node and the knowledge-base node with a model have a guardrail
resource "aws_bedrockagent_flow" "guarded" {
  name               = "guarded"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"

  definition {
    node {
      name = "Answer"
      type = "Prompt"
      configuration {
        prompt {
          source_configuration {
            resource {
              prompt_arn = "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234"
            }
          }
          guardrail_configuration {
            guardrail_identifier = aws_bedrock_guardrail.flow.guardrail_id
            guardrail_version    = aws_bedrock_guardrail_version.flow.version
          }
        }
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
            guardrail_identifier = aws_bedrock_guardrail.flow.guardrail_id
            guardrail_version    = aws_bedrock_guardrail_version.flow.version
          }
        }
      }
    }
  }
}

resource "awscc_bedrock_flow_version" "guarded" {
  flow_arn = aws_bedrockagent_flow.guarded.arn
}

# no definition: nothing to guard
resource "aws_bedrockagent_flow" "empty" {
  name               = "empty"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"
}

# the awscc provider's flow (CloudFormation's names, nested objects as maps): a retrieval-only knowledge-base node
resource "awscc_bedrock_flow" "retrieval_only" {
  name               = "retrieval-only"
  execution_role_arn = "arn:aws:iam::123456789012:role/flow-role"
  definition = {
    nodes = [
      {
        name = "Docs"
        type = "KnowledgeBase"
        configuration = {
          knowledge_base = {
            knowledge_base_id = "KB12345678"
          }
        }
      }
    ]
  }
}
