# -----------------------------------------------------------------------------------------------
# Identity (the template's AuthApiKey/ApiKeyEnabled conditions, UsagePlanQuota* parameters and
# InvokePolicy): API keys are asked for with auth_mode = "API_KEY", or by api_key_required on
# configurations applied before auth_mode existed. With auth_mode = "AWS_IAM", a managed policy
# allowing execute-api:Invoke on this stage (any method, any path) and nothing else, to attach
# to whoever should call the API.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-iam-policy-examples-for-api-execution.html
# -----------------------------------------------------------------------------------------------
locals {
  api_key_enabled = var.auth_mode == "API_KEY" || var.api_key_required
}

variable "usage_plan_quota_limit" {
  type        = number
  default     = 0
  description = "Requests each API key may make per usage_plan_quota_period (429 Limit Exceeded after); 0 sets no quota. Applies when a key is required."

  validation {
    condition     = var.usage_plan_quota_limit >= 0
    error_message = "usage_plan_quota_limit: at least 0."
  }
}

variable "usage_plan_quota_period" {
  type        = string
  default     = "DAY"
  description = "The period usage_plan_quota_limit counts over (UTC)."

  validation {
    condition     = contains(["DAY", "WEEK", "MONTH"], var.usage_plan_quota_period)
    error_message = "usage_plan_quota_period: one of DAY, WEEK, MONTH."
  }
}

data "aws_iam_policy_document" "invoke" {
  statement {
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.api.execution_arn}/${var.stage_name}/*/*"]
  }
}

resource "aws_iam_policy" "invoke" {
  count = var.auth_mode == "AWS_IAM" ? 1 : 0

  name_prefix = "${var.name}-invoke-"
  description = "Call the API of ${var.name} (stage ${var.stage_name})"
  policy      = data.aws_iam_policy_document.invoke.json
}

output "invoke_policy_arn" {
  description = "Managed policy allowing execute-api:Invoke on this stage (attach it to callers); null unless auth_mode is AWS_IAM"
  value       = one(aws_iam_policy.invoke[*].arn)
}
