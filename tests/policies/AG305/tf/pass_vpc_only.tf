# VPC endpoints and the Bedrock service only; a customer-managed key

resource "aws_opensearchserverless_collection" "private" {
  name = "kb-private"
  type = "VECTORSEARCH"
}

resource "aws_bedrockagent_knowledge_base" "private" {
  name     = "private"
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
      collection_arn    = aws_opensearchserverless_collection.private.arn
      vector_index_name = "vectors"
      field_mapping {
        vector_field   = "v"
        text_field     = "t"
        metadata_field = "m"
      }
    }
  }
}

resource "aws_kms_key" "vectors" {
  description = "vector store key"
}

resource "aws_opensearchserverless_security_policy" "private" {
  name = "kb-private-network"
  type = "network"
  policy = jsonencode([{
    Rules           = [{ ResourceType = "collection", Resource = ["collection/kb-private"] }]
    AllowFromPublic = false
    SourceVPCEs     = ["vpce-050f79086ee71ac05"]
    SourceServices  = ["bedrock.amazonaws.com"]
  }])
}

resource "aws_opensearchserverless_security_policy" "cmk" {
  name = "kb-private-encryption"
  type = "encryption"
  policy = jsonencode({
    Rules       = [{ ResourceType = "collection", Resource = ["collection/kb-private"] }]
    AWSOwnedKey = false
    KmsARN      = aws_kms_key.vectors.arn
  })
}
