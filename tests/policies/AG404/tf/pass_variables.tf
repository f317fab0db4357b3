variable "client_secret" {
  type      = string
  sensitive = true
}

variable "secret_arn" {
  type    = string
  default = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
}

variable "create_secret" {
  type    = bool
  default = true
}

variable "secrets_manager_config" {
  type    = object({ recovery_window_in_days = number })
  default = { recovery_window_in_days = 7 }
}

# names that mention a secret word without being one (corpus false positives)
variable "user_token_configurations" {
  type    = list(object({ audience = string }))
  default = []
}

variable "memory_client_token" {
  type    = string
  default = null
}

variable "analysis_tokenizer" {
  type    = string
  default = "standard"
}

variable "max_tokens" {
  type    = string
  default = "4096"
}
