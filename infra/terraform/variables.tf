# The CloudFormation template's Parameters, one variable each (snake_case), with the same defaults
# and the same constraints. `name` is the one addition: Terraform has no stack name, and the
# function, roles, API and log groups need one.

variable "name" {
  type        = string
  default     = "lambda-apigateway"
  description = "Prefix of every resource name (the counterpart of the CloudFormation stack name). Give each copy in an account and region its own."

  validation {
    # The longest derived name, "<name>-apigateway-logs" (an IAM role), must stay within 64 characters.
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,39}$", var.name))
    error_message = "name: 1-40 characters, letters, digits and hyphens, starting with a letter."
  }
}

variable "stage_name" {
  type        = string
  default     = "prod"
  description = "API Gateway stage name; the last path segment of api_endpoint."

  validation {
    # https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name: letters, digits, hyphens and underscores, at most 128 characters."
  }
}

variable "table_name" {
  type        = string
  default     = "lambda-apigateway"
  description = "DynamoDB table name (the one physical name fixed here, so the original project's sample payloads work unchanged). Give each copy in an account and region its own."

  validation {
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name: 3-255 characters from A-Z a-z 0-9 _ - ."
  }
}

variable "artifact_bucket" {
  type        = string
  description = "S3 bucket holding the Lambda zip built by `npx cli build` (same region as the function)."

  validation {
    condition     = length(var.artifact_bucket) >= 3 && length(var.artifact_bucket) <= 63
    error_message = "artifact_bucket: an S3 bucket name, 3-63 characters."
  }
}

variable "artifact_key" {
  type        = string
  description = "S3 key of the Lambda zip (handler-<sha256 prefix>.zip from `npx cli build`, content-addressed)."

  validation {
    condition     = can(regex("^\\S+\\.zip$", var.artifact_key))
    error_message = "artifact_key: the S3 key of a .zip file, without spaces."
  }
}

variable "log_retention_in_days" {
  type        = number
  default     = 30
  description = "Days to keep the function's logs and the API's access logs."

  validation {
    # The values CloudWatch Logs accepts for PutRetentionPolicy (the template's AllowedValues).
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "auth_mode" {
  type        = string
  default     = "AWS_IAM"
  description = "How callers are authenticated on every route: NONE, API_KEY (x-api-key), AWS_IAM (SigV4 signed requests) or COGNITO_USER_POOLS (a bearer token of the stack's user pool)."

  validation {
    condition     = contains(["NONE", "API_KEY", "AWS_IAM", "COGNITO_USER_POOLS"], var.auth_mode)
    error_message = "auth_mode: one of NONE, API_KEY, AWS_IAM, COGNITO_USER_POOLS."
  }
}

variable "api_key_required" {
  type        = bool
  default     = false
  description = "Kept for stacks created before auth_mode: true requires an x-api-key header on every route (on top of auth_mode) and creates the key and usage plan. New stacks: auth_mode = \"API_KEY\"."
}

variable "throttling_rate_limit" {
  type        = number
  default     = 100
  description = "Steady-state requests per second the stage (and the usage plan) allows."

  validation {
    condition     = var.throttling_rate_limit >= 1
    error_message = "throttling_rate_limit: at least 1."
  }
}

variable "throttling_burst_limit" {
  type        = number
  default     = 200
  description = "Burst of requests the stage (and the usage plan) allows."

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit: a whole number, at least 1."
  }
}

variable "function_memory_size" {
  type        = number
  default     = 256
  description = "Lambda memory in MB (CPU scales with it)."

  validation {
    condition     = var.function_memory_size >= 128 && var.function_memory_size <= 10240 && floor(var.function_memory_size) == var.function_memory_size
    error_message = "function_memory_size: a whole number of MB from 128 to 10240."
  }
}

variable "function_timeout" {
  type        = number
  default     = 10
  description = "Lambda timeout in seconds, below API Gateway's 29 s integration timeout."

  validation {
    # API Gateway stops waiting for an integration after 29 s and answers 504; a longer function
    # timeout would keep running (and billing) for a client that is already gone.
    condition     = var.function_timeout >= 1 && var.function_timeout <= 28 && floor(var.function_timeout) == var.function_timeout
    error_message = "function_timeout: a whole number of seconds from 1 to 28."
  }
}

variable "configure_api_gateway_account" {
  type        = bool
  default     = true
  description = "true sets the account's API Gateway CloudWatch Logs role (needed once per account and region before any stage can write access logs). Use false when the account already has one."
}

variable "table_kms_key" {
  type        = string
  default     = "AWS_MANAGED"
  description = "Key that encrypts the table at rest. AWS_MANAGED: DynamoDB's AWS managed key aws/dynamodb (free). CREATE: a customer managed key of this configuration (about 1 USD a month), rotated yearly, that also encrypts both log groups. A key ARN: that key, for the table only (its key policy must let this account use it through DynamoDB)."

  validation {
    # A key ARN: https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN
    condition     = can(regex("^(AWS_MANAGED|CREATE|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]{1,128})$", var.table_kms_key))
    error_message = "table_kms_key: AWS_MANAGED, CREATE or the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>)."
  }
}

variable "table_deletion_protection" {
  type        = bool
  default     = true
  description = "true makes DynamoDB refuse DeleteTable on the table from anywhere (console, CLI, scripts) until it is switched off; prevent_destroy already stops Terraform from deleting it."
}

variable "reserved_concurrency" {
  type        = number
  default     = -1
  description = "Concurrent executions reserved for (and the most allowed to) the function; -1 leaves it unreserved. Reserving needs the account's unreserved pool to keep 100, so a new account whose quota is 10 cannot reserve any. 0 stops every invocation (an emergency switch)."

  validation {
    condition     = var.reserved_concurrency >= -1 && var.reserved_concurrency <= 10000 && floor(var.reserved_concurrency) == var.reserved_concurrency
    error_message = "reserved_concurrency: a whole number from -1 (unreserved) to 10000."
  }
}

variable "waf_enabled" {
  type        = bool
  default     = false
  description = "true puts an AWS WAF web ACL in front of the stage: AWS's common and known-bad-inputs managed rule groups and a per-IP rate limit (about 8 USD a month plus 0.60 USD per million requests)."
}

variable "waf_rate_limit" {
  type        = number
  default     = 1000
  description = "Requests one IP address may make in any 5-minute window before WAF blocks it (waf_enabled only)."

  validation {
    # The lowest limit WAF allows is 10: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000 && floor(var.waf_rate_limit) == var.waf_rate_limit
    error_message = "waf_rate_limit: a whole number of requests from 10 to 2000000000."
  }
}

variable "user_pool_arn" {
  type        = string
  default     = ""
  description = "With auth_mode COGNITO_USER_POOLS: an existing user pool's ARN whose users may call the API (an app client is added to it); empty creates a user pool."

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9a-zA-Z]+)?$", var.user_pool_arn))
    error_message = "user_pool_arn: empty, or a user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>)."
  }
}

variable "authorization_scopes" {
  type        = string
  default     = ""
  description = "With auth_mode COGNITO_USER_POOLS: comma-separated OAuth scopes of which a caller's access token needs one on every route (e.g. items/write); empty: none, callers send their ID token."
}
