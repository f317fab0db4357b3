# no security policy of this root module covers vec-orphan (collection/kb-pub* and collection/kb-private do not)

resource "aws_opensearchserverless_collection" "orphan" {
  name = "vec-orphan"
  type = "VECTORSEARCH"
}

resource "aws_bedrockagent_knowledge_base" "orphan" {
  name     = "orphan"
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
      collection_arn    = aws_opensearchserverless_collection.orphan.arn
      vector_index_name = "vectors"
      field_mapping {
        vector_field   = "v"
        text_field     = "t"
        metadata_field = "m"
      }
    }
  }
}
