resource "aws_s3_bucket" "docs" {
  bucket = "acme-kb-docs"
}

# restrict_public_buckets left out: false
resource "aws_s3_bucket_public_access_block" "docs" {
  bucket              = aws_s3_bucket.docs.id
  block_public_acls   = true
  block_public_policy = true
  ignore_public_acls  = true
}

resource "aws_bedrockagent_data_source" "docs" {
  knowledge_base_id = "KB12345678"
  name              = "docs"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = aws_s3_bucket.docs.arn
    }
  }
}

# legacy inline versioning, switched off
resource "aws_s3_bucket" "manuals" {
  bucket = "acme-kb-manuals"
  versioning {
    enabled = false
  }
}

resource "aws_bedrockagent_data_source" "manuals" {
  knowledge_base_id = "KB12345678"
  name              = "manuals"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = aws_s3_bucket.manuals.arn
    }
  }
}
