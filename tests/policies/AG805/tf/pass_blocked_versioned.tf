resource "aws_s3_bucket" "faq" {
  bucket = "acme-kb-faq"
}

resource "aws_s3_bucket_public_access_block" "faq" {
  bucket                  = aws_s3_bucket.faq.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "faq" {
  bucket = aws_s3_bucket.faq.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_bedrockagent_data_source" "faq" {
  knowledge_base_id = "KB12345678"
  name              = "faq"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = aws_s3_bucket.faq.arn
    }
  }
}

# no block declared (S3's default blocks all public access); legacy inline versioning on
resource "aws_s3_bucket" "policies" {
  bucket = "acme-kb-policies"
  versioning {
    enabled = true
  }
}

resource "aws_bedrockagent_data_source" "policies" {
  knowledge_base_id = "KB12345678"
  name              = "policies"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = aws_s3_bucket.policies.arn
    }
  }
}
