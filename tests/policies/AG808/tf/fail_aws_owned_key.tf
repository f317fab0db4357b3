# the public rule set covers every collection whose name starts with kb-pub; its key is AWS-owned

resource "aws_opensearchserverless_collection" "public" {
  name = "kb-public"
  type = "VECTORSEARCH"
}

resource "aws_bedrockagent_knowledge_base" "public" {
  name     = "public"
  role_arn = "arn:aws:iam::123456789012:role/kb"
  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
    }
  }
  storage_configuration {
    type = "OPENSEARCH_SERVERLESS"
    opensearch_serverless_configuration {
      collection_arn    = aws_opensearchserverless_collection.public.arn
      vector_index_name = "vectors"
      field_mapping {
        vector_field   = "v"
        text_field     = "t"
        metadata_field = "m"
      }
    }
  }
}

resource "aws_opensearchserverless_security_policy" "public" {
  name = "kb-public-network"
  type = "network"
  policy = jsonencode([{
    Rules           = [{ ResourceType = "collection", Resource = ["collection/kb-pub*"] }]
    AllowFromPublic = true
  }])
}

resource "aws_opensearchserverless_security_policy" "owned" {
  name = "kb-public-encryption"
  type = "encryption"
  policy = jsonencode({
    Rules       = [{ ResourceType = "collection", Resource = ["collection/kb-pub*"] }]
    AWSOwnedKey = true
  })
}
