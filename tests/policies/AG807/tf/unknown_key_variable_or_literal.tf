# a key from a variable without default, and a literal key ARN (only the account tells whether AWS manages it)
variable "model_key_arn" {
  type = string
}

resource "aws_bedrock_custom_model" "from_variable" {
  custom_model_name       = "legal-tuned"
  job_name                = "legal-tuning-1"
  base_model_identifier   = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
  role_arn                = "arn:aws:iam::123456789012:role/bedrock-customization"
  custom_model_kms_key_id = var.model_key_arn
  hyperparameters         = { epochCount = "1" }
  output_data_config {
    s3_uri = "s3://customization-output/legal/"
  }
  training_data_config {
    s3_uri = "s3://customization-input/legal/train.jsonl"
  }
}

resource "aws_bedrock_model_invocation_job" "literal_key" {
  job_name = "legal-batch"
  model_id = "amazon.nova-lite-v1:0"
  role_arn = "arn:aws:iam::123456789012:role/bedrock-batch"
  input_data_config {
    s3_input_data_config {
      s3_uri = "s3://batch-input/legal/"
    }
  }
  output_data_config {
    s3_output_data_config {
      s3_uri               = "s3://batch-output/legal/"
      s3_encryption_key_id = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}
