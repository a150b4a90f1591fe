# -----------------------------------------------------------------------------------------------
# REST API (REGIONAL: clients call it in its own region; EDGE would add a CloudFront hop).
# -----------------------------------------------------------------------------------------------
resource "aws_api_gateway_rest_api" "api" {
  name        = "${var.name}-api"
  description = "API Gateway -> Lambda -> DynamoDB"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  # A replaced API (a new id, so a new URL) exists before the old one goes (CKV_AWS_237).
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "dynamodb_manager" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "DynamoDBManager"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.items.id
  path_part   = "{id}"
}

# -----------------------------------------------------------------------------------------------
# Routes, keyed "METHOD /path". Every method is the same Lambda proxy integration (AWS_PROXY,
# always invoked with POST), so the handler owns status codes and bodies. api_key_required
# follows the variable.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
# -----------------------------------------------------------------------------------------------
locals {
  routes = {
    "POST /DynamoDBManager" = { http_method = "POST", resource_id = aws_api_gateway_resource.dynamodb_manager.id, request_parameters = {} }
    "GET /items"            = { http_method = "GET", resource_id = aws_api_gateway_resource.items.id, request_parameters = { "method.request.querystring.limit" = false, "method.request.querystring.next" = false } }
    "POST /items"           = { http_method = "POST", resource_id = aws_api_gateway_resource.items.id, request_parameters = {} }
    "GET /items/{id}"       = { http_method = "GET", resource_id = aws_api_gateway_resource.item.id, request_parameters = { "method.request.path.id" = true } }
    "PUT /items/{id}"       = { http_method = "PUT", resource_id = aws_api_gateway_resource.item.id, request_parameters = { "method.request.path.id" = true } }
    "PATCH /items/{id}"     = { http_method = "PATCH", resource_id = aws_api_gateway_resource.item.id, request_parameters = { "method.request.path.id" = true } }
    "DELETE /items/{id}"    = { http_method = "DELETE", resource_id = aws_api_gateway_resource.item.id, request_parameters = { "method.request.path.id" = true } }
  }
}

resource "aws_api_gateway_method" "route" {
  for_each = local.routes

  rest_api_id          = aws_api_gateway_rest_api.api.id
  resource_id          = each.value.resource_id
  http_method          = each.value.http_method
  authorization        = var.auth_mode == "AWS_IAM" ? "AWS_IAM" : (local.auth_cognito ? "COGNITO_USER_POOLS" : "NONE")
  authorizer_id        = local.auth_cognito ? aws_api_gateway_authorizer.cognito[0].id : null
  authorization_scopes = local.cognito_scopes ? local.authorization_scopes : null
  api_key_required     = local.api_key_enabled
  request_parameters   = each.value.request_parameters

  # The contract (contract.tf): the route's request validator and body model.
  request_validator_id = aws_api_gateway_request_validator.contract[local.route_contract[each.key].validator].id
  request_models       = local.route_contract[each.key].model == null ? {} : { "$default" = aws_api_gateway_model.contract[local.route_contract[each.key].model].name }
}

resource "aws_api_gateway_integration" "route" {
  for_each = aws_api_gateway_method.route

  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = each.value.resource_id
  http_method             = each.value.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_alias.live.invoke_arn
}

# -----------------------------------------------------------------------------------------------
# The one permission that lets API Gateway invoke the function. source_arn is this API's stage
# (any method, any path): without the permission API Gateway answers 500 "Internal server
# error"; without source_arn any API in any account could invoke it. It names the stage by the
# variable, not the stage resource, so it exists before the stage starts taking traffic.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
# (The console's "Test" button invokes through stage test-invoke-stage and is not allowed.)
# -----------------------------------------------------------------------------------------------
resource "aws_lambda_permission" "api_invoke" {
  statement_id   = "AllowApiGatewayInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.handler.function_name
  qualifier      = aws_lambda_alias.live.name
  principal      = "apigateway.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
  source_arn     = "${aws_api_gateway_rest_api.api.execution_arn}/${var.stage_name}/*"
}

# -----------------------------------------------------------------------------------------------
# Deployment: a snapshot of the routes. Terraform only replaces it when `triggers` changes, so the
# trigger hashes every resource, method and integration (whole objects, not just ids: a changed
# api_key_required or integration is a new deployment). create_before_destroy moves the stage to
# the new deployment before the old one is deleted (API Gateway refuses to delete a deployment
# a stage points at). The same job as the ApiDeployment<hash> rename `npx cli deploy` does.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment
# -----------------------------------------------------------------------------------------------
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  description = "Routes of this configuration (replaced whenever they change)"

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.dynamodb_manager,
      aws_api_gateway_resource.items,
      aws_api_gateway_resource.item,
      aws_api_gateway_method.route,
      aws_api_gateway_integration.route,
      aws_api_gateway_model.contract,
      aws_api_gateway_request_validator.contract,
      aws_api_gateway_method_response.contract,
      aws_api_gateway_method.cors,
      aws_api_gateway_method_response.cors,
      aws_api_gateway_integration.cors,
      aws_api_gateway_integration_response.cors,
      aws_api_gateway_gateway_response.cors,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

# -----------------------------------------------------------------------------------------------
# API Gateway writes logs with ONE role per account and region (aws_api_gateway_account), and a
# stage with access logging fails to create without it ("CloudWatch Logs role ARN must be set in
# account settings to enable logging"). With configure_api_gateway_account = true this
# configuration sets it. Unlike the template (which retains the role), `terraform destroy`
# deletes the role and, with provider 6.x, resets the account setting: other APIs in the region
# then stop writing logs. Set the variable to false where the account setting is shared.
# Exception to "no AWS managed policy": this role is account-wide, writes to log groups that API
# Gateway names at run time for every API in the region, and AWS maintains
# AmazonAPIGatewayPushToCloudWatchLogs for exactly that purpose.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
# -----------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "apigateway_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apigateway_cloudwatch" {
  count = var.configure_api_gateway_account ? 1 : 0

  name               = "${var.name}-apigateway-logs"
  description        = "API Gateway account setting: lets API Gateway write CloudWatch Logs in this region"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume.json
}

resource "aws_iam_role_policy_attachment" "apigateway_cloudwatch" {
  count = var.configure_api_gateway_account ? 1 : 0

  role       = aws_iam_role.apigateway_cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.configure_api_gateway_account ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.apigateway_cloudwatch[0].arn

  # API Gateway checks the role's permissions when the setting is made.
  depends_on = [aws_iam_role_policy_attachment.apigateway_cloudwatch]
}

# -----------------------------------------------------------------------------------------------
# Stage: JSON access logs (one line per request; execution logs stay off because they can contain
# request bodies), then throttling and per-method CloudWatch metrics for every method. The fields
# are the template's; jsonencode writes them in key order, which changes nothing for readers.
# $context variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
# -----------------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:log groups are KMS-encrypted with the configuration's key when table_kms_key = CREATE; otherwise CloudWatch Logs' own encryption at rest
  #checkov:skip=CKV_AWS_338:retention is the log_retention_in_days variable (default 30 days, a cost choice); set 365 or more where a year is required
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.logs_kms_key_arn
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:a stage cache (from about 14 USD a month) would serve stale items after a write to this CRUD API
  #checkov:skip=CKV2_AWS_51:a public API for browsers and scripts; mutual TLS needs a custom domain and client certificates no caller has
  #checkov:skip=CKV2_AWS_4:execution logging stays OFF on purpose (it can write request bodies to the logs); JSON access logs record every request
  #checkov:skip=CKV2_AWS_77:the opt-in web ACL has AWSManagedRulesKnownBadInputsRuleSet (the Log4j rules); the check also demands AWSManagedRulesAnonymousIpList, which would block callers on VPNs, Tor and cloud hosts (CI runners, other AWS services)
  #checkov:skip=CKV2_AWS_29:the WAF web ACL is opt-in (waf_enabled, about 8 USD a month plus requests); stage throttling is always on
  rest_api_id   = aws_api_gateway_rest_api.api.id
  stage_name    = var.stage_name
  deployment_id = aws_api_gateway_deployment.api.id

  # X-Ray: API Gateway starts the trace and passes it to the function.
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      path               = "$context.path"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integration.latency"
      integrationStatus  = "$context.integration.status"
      errorType          = "$context.error.responseType"
      errorMessage       = "$context.error.message"
      apiKeyId           = "$context.identity.apiKeyId"
    })
  }

  # When this configuration sets the account's logging role, the stage waits for it.
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:a stage cache (from about 14 USD a month) would serve stale items after a write to this CRUD API
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    metrics_enabled        = true
    logging_level          = "OFF"
    data_trace_enabled     = false
  }
}

# -----------------------------------------------------------------------------------------------
# Optional API key: a key, a usage plan on this stage with the same throttling, and the link
# between them. The key's value is never an output (outputs land in state files and CI logs);
# read it with `aws apigateway get-api-key --api-key <api_key_id> --include-value`.
# -----------------------------------------------------------------------------------------------
resource "aws_api_gateway_api_key" "this" {
  count = local.api_key_enabled ? 1 : 0

  name        = "${var.name}-${var.stage_name}"
  description = "Key for ${var.name}"
  enabled     = true
}

resource "aws_api_gateway_usage_plan" "this" {
  count = local.api_key_enabled ? 1 : 0

  name        = "${var.name}-${var.stage_name}"
  description = "Usage plan for ${var.name}"

  api_stages {
    api_id = aws_api_gateway_rest_api.api.id
    stage  = aws_api_gateway_stage.this.stage_name
  }

  throttle_settings {
    rate_limit  = var.throttling_rate_limit
    burst_limit = var.throttling_burst_limit
  }

  # Per key, only with a limit (the template's HasUsagePlanQuota).
  dynamic "quota_settings" {
    for_each = var.usage_plan_quota_limit != 0 ? [1] : []
    content {
      limit  = var.usage_plan_quota_limit
      period = var.usage_plan_quota_period
    }
  }
}

resource "aws_api_gateway_usage_plan_key" "this" {
  count = local.api_key_enabled ? 1 : 0

  key_id        = aws_api_gateway_api_key.this[0].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this[0].id
}
