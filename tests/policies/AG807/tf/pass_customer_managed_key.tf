# the model and the batch output encrypted with a key of the files, or with a customer alias
resource "aws_kms_key" "models" {
  enable_key_rotation = true
}

resource "aws_bedrock_custom_model" "keyed" {
  custom_model_name       = "claims-tuned"
  job_name                = "claims-tuning-1"
  base_model_identifier   = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
  role_arn                = "arn:aws:iam::123456789012:role/bedrock-customization"
  custom_model_kms_key_id = aws_kms_key.models.arn
  hyperparameters         = { epochCount = "1" }
  output_data_config {
    s3_uri = "s3://customization-output/claims/"
  }
  training_data_config {
    s3_uri = "s3://customization-input/claims/train.jsonl"
  }
}

resource "aws_bedrock_model_invocation_job" "keyed" {
  job_name = "claims-batch"
  model_id = "amazon.nova-lite-v1:0"
  role_arn = "arn:aws:iam::123456789012:role/bedrock-batch"
  input_data_config {
    s3_input_data_config {
      s3_uri = "s3://batch-input/claims/"
    }
  }
  output_data_config {
    s3_output_data_config {
      s3_uri               = "s3://batch-output/claims/"
      s3_encryption_key_id = aws_kms_key.models.key_id
    }
  }
}

resource "aws_bedrock_model_invocation_job" "customer_alias" {
  job_name = "claims-batch-alias"
  model_id = "amazon.nova-lite-v1:0"
  role_arn = "arn:aws:iam::123456789012:role/bedrock-batch"
  input_data_config {
    s3_input_data_config {
      s3_uri = "s3://batch-input/claims-alias/"
    }
  }
  output_data_config {
    s3_output_data_config {
      s3_uri               = "s3://batch-output/claims-alias/"
      s3_encryption_key_id = "alias/batch-output"
    }
  }
}
