data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  function_name = "${var.name}-handler"
}

# -----------------------------------------------------------------------------------------------
# Function logs: a log group this configuration owns (so retention applies and it goes on
# destroy), named as Lambda's default group and wired through logging_config. It exists before the
# function does, so Lambda never creates a group of its own without retention.
# https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
# -----------------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "function" {
  #checkov:skip=CKV_AWS_158:log groups are KMS-encrypted with the configuration's key when table_kms_key = CREATE; otherwise CloudWatch Logs' own encryption at rest
  #checkov:skip=CKV_AWS_338:retention is the log_retention_in_days variable (default 30 days, a cost choice); set 365 or more where a year is required
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.logs_kms_key_arn
}

# -----------------------------------------------------------------------------------------------
# Function role, least privilege: the five item actions the handler calls, on this table only;
# log writes to its own log group only. No managed policies: AWSLambdaBasicExecutionRole grants
# logs on "*". The provider's log group `arn` has no ":*" suffix (it strips it), so the
# statement adds it back: "<group arn>:*" is exactly the group's log streams, the same resource
# as the template's !GetAtt FunctionLogGroup.Arn.
# -----------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "function_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "table_items" {
  statement {
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Scan",
    ]
    resources = [aws_dynamodb_table.items.arn]
  }
}

data "aws_iam_policy_document" "own_log_group" {
  statement {
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }
}

# With a customer managed table key, DynamoDB uses it with the caller's permissions: the actions
# reads and writes need, on that key only, and only through DynamoDB.
# https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
data "aws_iam_policy_document" "table_key" {
  count = var.table_kms_key == "AWS_MANAGED" ? 0 : 1

  statement {
    effect = "Allow"
    actions = [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:DescribeKey",
    ]
    resources = [local.table_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-handler"
  description        = "Runs ${local.function_name}: items on ${var.table_name}, writes to its own log group"
  assume_role_policy = data.aws_iam_policy_document.function_assume.json
}

resource "aws_iam_role_policy" "table_items" {
  name   = "table-items"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.table_items.json
}

resource "aws_iam_role_policy" "own_log_group" {
  name   = "own-log-group"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.own_log_group.json
}

resource "aws_iam_role_policy" "table_key" {
  count = var.table_kms_key == "AWS_MANAGED" ? 0 : 1

  name   = "table-key"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.table_key[0].json
}

# -----------------------------------------------------------------------------------------------
# The function: the zip from `npx cli build` (one esbuild bundle, index.js, SDK included),
# Graviton (arm64: cheaper per GB-second), timeout below API Gateway's 29 s. The artifact key is
# content-addressed (handler-<sha256 prefix>.zip), so a new build is a new s3_key and Terraform
# updates the code; no source_code_hash is needed, and an unchanged build changes nothing.
# depends_on the inline policies: the role alone cannot read the table or write logs, and
# CloudFormation gets the same ordering from inline Policies on the role.
# -----------------------------------------------------------------------------------------------
resource "aws_lambda_function" "handler" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes synchronously and gets the error; a DLQ only receives failed asynchronous invocations
  #checkov:skip=CKV_AWS_117:the function reaches only DynamoDB and CloudWatch Logs over their IAM-authorized public endpoints; a VPC would add NAT or endpoint cost and cold-start time for no reachable private resource
  #checkov:skip=CKV_AWS_173:the one environment variable is TABLE_NAME, not a secret; Lambda encrypts it at rest with its AWS managed key
  #checkov:skip=CKV_AWS_115:reserved concurrency is opt-in (reserved_concurrency); the default must apply in a new account whose concurrency quota can be 10
  #checkov:skip=CKV_AWS_272:the artifact is built and uploaded by `npx cli build`/`deploy` under a content-addressed key; code signing needs an AWS Signer profile the template does not have either
  function_name = local.function_name
  description   = "API Gateway proxy handler for the items table"
  runtime       = "nodejs22.x"
  architectures = ["arm64"]
  handler       = "index.handler"
  s3_bucket     = var.artifact_bucket
  s3_key        = var.artifact_key
  role          = aws_iam_role.function.arn
  memory_size   = var.function_memory_size
  timeout       = var.function_timeout
  # -1: unreserved (a new account's quota can be 10, and Lambda keeps 100 unreserved).
  # https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
  reserved_concurrent_executions = var.reserved_concurrency

  # X-Ray active tracing and JSON logs filtered by level, as the template (observability.tf).
  tracing_config {
    mode = "Active"
  }
  # A new version per code or configuration change, for the `live` alias (release.tf).
  publish = true

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.function.name
    application_log_level = var.log_level
    system_log_level      = var.system_log_level
  }

  environment {
    variables = {
      TABLE_NAME        = aws_dynamodb_table.items.name
      METRICS_NAMESPACE = "ItemsApi/${var.name}"
      # The origins the function reflects in Access-Control-Allow-Origin ("" = CORS off; cors.tf).
      CORS_ALLOWED_ORIGINS = join(",", local.cors_origins)
    }
  }

  depends_on = [
    aws_iam_role_policy.table_items,
    aws_iam_role_policy.own_log_group,
    aws_iam_role_policy.table_key,
    aws_iam_role_policy.xray_write,
  ]
}
