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
