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
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_in_days
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

# -----------------------------------------------------------------------------------------------
# The function: the zip from `npx cli build` (one esbuild bundle, index.js, SDK included),
# Graviton (arm64: cheaper per GB-second), timeout below API Gateway's 29 s. The artifact key is
# content-addressed (handler-<sha256 prefix>.zip), so a new build is a new s3_key and Terraform
# updates the code; no source_code_hash is needed, and an unchanged build changes nothing.
# depends_on the inline policies: the role alone cannot read the table or write logs, and
# CloudFormation gets the same ordering from inline Policies on the role.
# -----------------------------------------------------------------------------------------------
resource "aws_lambda_function" "handler" {
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
  # A new version per code or configuration change, for the `live` alias (release.tf).
  publish = true

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.items.name
    }
  }

  depends_on = [
    aws_iam_role_policy.table_items,
    aws_iam_role_policy.own_log_group,
  ]
}
