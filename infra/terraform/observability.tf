# -----------------------------------------------------------------------------------------------
# Monitoring, the twin of the template's monitoring block: the variables of its parameters, X-Ray
# write access for the function role, alarms notifying a KMS-encrypted topic (optional e-mail),
# the composite "API unhealthy" alarm, the dashboard and the outputs. The function's tracing_config
# and logging_config are in function.tf, the stage's xray_tracing_enabled in api.tf.
# The provider requires alarm and dashboard names; the template lets CloudFormation generate them.
# -----------------------------------------------------------------------------------------------

variable "log_level" {
  type        = string
  default     = "INFO"
  description = "The function's ApplicationLogLevel: lines below it are dropped by Lambda. Above INFO the handler's EMF metrics (logged at INFO) are dropped too; the alarms use AWS metrics only."

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "system_log_level" {
  type        = string
  default     = "INFO"
  description = "The function's SystemLogLevel (Lambda's own START/END/REPORT records are INFO)."

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN"], var.system_log_level)
    error_message = "system_log_level: one of DEBUG, INFO, WARN."
  }
}

variable "alarm_email" {
  type        = string
  default     = ""
  description = "An e-mail address subscribed to the alarm topic (SNS sends it a confirmation mail first). Empty: no subscription."

  validation {
    condition     = can(regex("^$|^[^\\s@]+@[^\\s@]+$", var.alarm_email))
    error_message = "alarm_email: empty, or one e-mail address."
  }
}

variable "api5xx_rate_percent_threshold" {
  type        = number
  default     = 1
  description = "Alarm when more than this percent of the API's requests answer 5XX (per minute, 2 of 3 minutes)."

  validation {
    condition     = var.api5xx_rate_percent_threshold >= 0 && var.api5xx_rate_percent_threshold <= 100
    error_message = "api5xx_rate_percent_threshold: a number from 0 to 100."
  }
}

variable "api_latency_p99_threshold_ms" {
  type        = number
  default     = 2000
  description = "Alarm when the API's p99 latency (API Gateway Latency) exceeds this many ms (per minute, 2 of 3 minutes)."

  validation {
    condition     = var.api_latency_p99_threshold_ms >= 1 && var.api_latency_p99_threshold_ms <= 29000
    error_message = "api_latency_p99_threshold_ms: a number from 1 to 29000."
  }
}

variable "function_errors_threshold" {
  type        = number
  default     = 1
  description = "Alarm when the function has at least this many errors (uncaught failures) in a minute, 2 of 3 minutes."

  validation {
    condition     = var.function_errors_threshold >= 1
    error_message = "function_errors_threshold: a number of at least 1."
  }
}

variable "function_throttles_threshold" {
  type        = number
  default     = 1
  description = "Alarm when at least this many invocations are throttled in a minute, 2 of 3 minutes."

  validation {
    condition     = var.function_throttles_threshold >= 1
    error_message = "function_throttles_threshold: a number of at least 1."
  }
}

variable "function_duration_percent_threshold" {
  type        = number
  default     = 80
  description = "Alarm when the longest invocation of a minute takes more than this percent of function_timeout, 2 of 3 minutes."

  validation {
    condition     = var.function_duration_percent_threshold >= 1 && var.function_duration_percent_threshold <= 100
    error_message = "function_duration_percent_threshold: a number from 1 to 100."
  }
}

variable "concurrency_threshold" {
  type        = number
  default     = 800
  description = "Alarm when the function runs this many concurrent executions (its limit is the account's unreserved concurrency, 1000 by default, or its reserved concurrency): about 80% of the limit."

  validation {
    condition     = var.concurrency_threshold >= 1
    error_message = "concurrency_threshold: a number of at least 1."
  }
}

variable "dynamodb_throttles_threshold" {
  type        = number
  default     = 1
  description = "Alarm when DynamoDB throttles at least this many of the table's requests in a minute, 2 of 3 minutes."

  validation {
    condition     = var.dynamodb_throttles_threshold >= 1
    error_message = "dynamodb_throttles_threshold: a number of at least 1."
  }
}

variable "dynamodb_system_errors_threshold" {
  type        = number
  default     = 1
  description = "Alarm when DynamoDB answers at least this many of the table's requests with a 500 in a minute, 2 of 3 minutes."

  validation {
    condition     = var.dynamodb_system_errors_threshold >= 1
    error_message = "dynamodb_system_errors_threshold: a number of at least 1."
  }
}

# Active tracing: PutTraceSegments and PutTelemetryRecords have no resource-level permissions, so
# "*" is the only resource IAM accepts for them.
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
data "aws_iam_policy_document" "xray_write" {
  statement {
    effect = "Allow"
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "xray_write" {
  name   = "xray-write"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.xray_write.json
}

# The topic's key: CloudWatch can publish to an encrypted topic only when the key policy lets
# cloudwatch.amazonaws.com use the key, which an AWS managed key (alias/aws/sns) cannot.
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
data "aws_iam_policy_document" "alarm_topic_key" {
  #checkov:skip=CKV_AWS_109:a key policy's Resource "*" is the key itself; only the account's IAM admins administer it
  #checkov:skip=CKV_AWS_111:a key policy's Resource "*" is the key itself; CloudWatch may only encrypt and decrypt for this topic
  #checkov:skip=CKV_AWS_356:a key policy's Resource "*" is the key itself (the only value a key policy takes)
  statement {
    sid       = "AccountAdministers"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid    = "CloudWatchAlarmsPublish"
    effect = "Allow"
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "alarm_topic" {
  description             = "Encrypts the alarm topic of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.alarm_topic_key.json
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  display_name      = "${var.name} alarms"
  kms_master_key_id = aws_kms_key.alarm_topic.arn
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "api5xx_rate" {
  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.api5xx_rate_percent_threshold}% of ${var.name} API requests answered 5XX"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api5xx_rate_percent_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5XXError"
      period      = 60
      stat        = "Average"
      dimensions = {
        ApiName = aws_api_gateway_rest_api.api.name
        Stage   = aws_api_gateway_stage.this.stage_name
      }
    }
  }

  metric_query {
    id          = "percent"
    label       = "5XX answers (%)"
    expression  = "100 * errors"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "${var.name}-api-latency-p99"
  alarm_description   = "${var.name} API p99 latency above ${var.api_latency_p99_threshold_ms} ms"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  extended_statistic  = "p99"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_latency_p99_threshold_ms
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = aws_api_gateway_rest_api.api.name
    Stage = aws_api_gateway_stage.this.stage_name
  }
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  alarm_name          = "${var.name}-function-errors"
  alarm_description   = "${var.name} function errors (uncaught failures, timeouts)"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.function_errors_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.handler.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  alarm_name          = "${var.name}-function-throttles"
  alarm_description   = "${var.name} function invocations throttled"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.function_throttles_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.handler.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "function_duration" {
  alarm_name          = "${var.name}-function-duration"
  alarm_description   = "${var.name} function invocations take more than ${var.function_duration_percent_threshold}% of the ${var.function_timeout} s timeout"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.function_duration_percent_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id = "longest"

    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Duration"
      period      = 60
      stat        = "Maximum"
      dimensions = {
        FunctionName = aws_lambda_function.handler.function_name
      }
    }
  }

  metric_query {
    id          = "percent"
    label       = "Longest invocation (% of the timeout)"
    expression  = "100 * longest / (${var.function_timeout} * 1000)"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "function_concurrency" {
  alarm_name          = "${var.name}-function-concurrency"
  alarm_description   = "${var.name} function at ${var.concurrency_threshold} concurrent executions or more (near its limit)"
  namespace           = "AWS/Lambda"
  metric_name         = "ConcurrentExecutions"
  statistic           = "Maximum"
  period              = 60
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.concurrency_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.handler.function_name
  }
}

locals {
  # The operations the function role may call: each DynamoDB alarm sums their metrics.
  dynamodb_operations = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Scan"]
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  alarm_name          = "${var.name}-dynamodb-throttles"
  alarm_description   = "${var.name} table requests throttled by DynamoDB"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.dynamodb_throttles_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dynamic "metric_query" {
    for_each = local.dynamodb_operations

    content {
      id = lower(metric_query.value)

      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = "ThrottledRequests"
        period      = 60
        stat        = "Sum"
        dimensions = {
          TableName = aws_dynamodb_table.items.name
          Operation = metric_query.value
        }
      }
    }
  }

  metric_query {
    id          = "throttled"
    label       = "Throttled requests"
    expression  = "FILL(getitem, 0) + FILL(putitem, 0) + FILL(updateitem, 0) + FILL(deleteitem, 0) + FILL(scan, 0)"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_system_errors" {
  alarm_name          = "${var.name}-dynamodb-system-errors"
  alarm_description   = "${var.name} table requests failed inside DynamoDB (HTTP 500)"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.dynamodb_system_errors_threshold
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dynamic "metric_query" {
    for_each = local.dynamodb_operations

    content {
      id = lower(metric_query.value)

      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = "SystemErrors"
        period      = 60
        stat        = "Sum"
        dimensions = {
          TableName = aws_dynamodb_table.items.name
          Operation = metric_query.value
        }
      }
    }
  }

  metric_query {
    id          = "failed"
    label       = "System errors"
    expression  = "FILL(getitem, 0) + FILL(putitem, 0) + FILL(updateitem, 0) + FILL(deleteitem, 0) + FILL(scan, 0)"
    return_data = true
  }
}

# "API unhealthy": what a caller notices (the template says why these four).
resource "aws_cloudwatch_composite_alarm" "api_unhealthy" {
  alarm_name        = "${var.name}-api-unhealthy"
  alarm_description = "${var.name} API unhealthy: 5XX rate, p99 latency, function errors or throttles in ALARM"
  alarm_rule        = "ALARM(\"${aws_cloudwatch_metric_alarm.api5xx_rate.arn}\") OR ALARM(\"${aws_cloudwatch_metric_alarm.api_latency_p99.arn}\") OR ALARM(\"${aws_cloudwatch_metric_alarm.function_errors.arn}\") OR ALARM(\"${aws_cloudwatch_metric_alarm.function_throttles.arn}\")"
  alarm_actions     = [aws_sns_topic.alarms.arn]
  ok_actions        = [aws_sns_topic.alarms.arn]
}

# The same body as the template's Dashboard, from one file with the template's ${...} names in
# snake_case (test/infra/terraform.test.ts compares the two).
resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = templatefile("${path.module}/dashboard.json.tftpl", {
    region                           = data.aws_region.current.region
    name                             = var.name
    stage_name                       = aws_api_gateway_stage.this.stage_name
    function                         = aws_lambda_function.handler.function_name
    table                            = aws_dynamodb_table.items.name
    api_unhealthy_alarm_arn          = aws_cloudwatch_composite_alarm.api_unhealthy.arn
    api5xx_rate_alarm_arn            = aws_cloudwatch_metric_alarm.api5xx_rate.arn
    api_latency_p99_alarm_arn        = aws_cloudwatch_metric_alarm.api_latency_p99.arn
    function_errors_alarm_arn        = aws_cloudwatch_metric_alarm.function_errors.arn
    function_throttles_alarm_arn     = aws_cloudwatch_metric_alarm.function_throttles.arn
    function_duration_alarm_arn      = aws_cloudwatch_metric_alarm.function_duration.arn
    function_concurrency_alarm_arn   = aws_cloudwatch_metric_alarm.function_concurrency.arn
    dynamodb_throttles_alarm_arn     = aws_cloudwatch_metric_alarm.dynamodb_throttles.arn
    dynamodb_system_errors_alarm_arn = aws_cloudwatch_metric_alarm.dynamodb_system_errors.arn
  })
}


output "dashboard_name" {
  description = "CloudWatch dashboard of the API, the function and the table"
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "The dashboard in the CloudWatch console"
  value       = "https://console.aws.amazon.com/cloudwatch/home?region=${data.aws_region.current.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (subscribe more endpoints here)"
  value       = aws_sns_topic.alarms.arn
}

output "api_unhealthy_alarm_name" {
  description = "Composite alarm, ALARM when the API's 5XX rate, p99 latency, function errors or throttles alarm is"
  value       = aws_cloudwatch_composite_alarm.api_unhealthy.alarm_name
}
