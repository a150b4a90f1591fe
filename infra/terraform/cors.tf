# -----------------------------------------------------------------------------------------------
# CORS, the twin of the template's CorsAllowedOrigins/Methods/Headers parameters, its OPTIONS
# MOCK methods and its DEFAULT_4XX/DEFAULT_5XX gateway responses (see the comment there and the
# README's "CORS" section). Off while cors_allowed_origins is empty. The lists are comma-separated
# strings, as the CloudFormation parameters are typed (CommaDelimitedList).
# https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
# -----------------------------------------------------------------------------------------------
variable "cors_allowed_origins" {
  type        = string
  default     = ""
  description = "Browser origins allowed to call the API (CORS), comma-separated. Empty (the default) turns CORS off: no OPTIONS methods, no CORS headers."

  validation {
    # An origin is scheme://host[:port], no path (https://fetch.spec.whatwg.org/#origin-header).
    condition     = alltrue([for o in split(",", var.cors_allowed_origins) : can(regex("^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)?$", trimspace(o)))])
    error_message = "cors_allowed_origins: origins such as https://app.example.com or http://localhost:5173 (scheme, host, optional port; no path), comma-separated."
  }
}

variable "cors_allowed_methods" {
  type        = string
  default     = "GET,POST,PUT,PATCH,DELETE,OPTIONS"
  description = "Methods a preflight allows (Access-Control-Allow-Methods), comma-separated."

  validation {
    condition     = alltrue([for m in split(",", var.cors_allowed_methods) : contains(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], trimspace(m))])
    error_message = "cors_allowed_methods: a comma-separated list of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS."
  }
}

variable "cors_allowed_headers" {
  type        = string
  default     = "Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"
  description = "Request headers a preflight allows (Access-Control-Allow-Headers), comma-separated."

  validation {
    # An HTTP header name (a token, RFC 9110 section 5.6.2) without the single quote.
    condition     = alltrue([for h in split(",", var.cors_allowed_headers) : can(regex("^[A-Za-z0-9!#$%&*+.^_`|~-]+$", trimspace(h)))])
    error_message = "cors_allowed_headers: header names, comma-separated."
  }
}

locals {
  cors_origins = compact([for o in split(",", var.cors_allowed_origins) : trimspace(o)])
  cors_enabled = length(local.cors_origins) > 0
  # Every resource with methods (the root has none).
  cors_resources = local.cors_enabled ? {
    "/DynamoDBManager" = aws_api_gateway_resource.dynamodb_manager.id
    "/items"           = aws_api_gateway_resource.items.id
    "/items/{id}"      = aws_api_gateway_resource.item.id
  } : {}
  cors_preflight_headers = {
    "method.response.header.Access-Control-Allow-Origin"  = "'${try(local.cors_origins[0], "")}'"
    "method.response.header.Access-Control-Allow-Methods" = "'${join(",", [for m in split(",", var.cors_allowed_methods) : trimspace(m)])}'"
    "method.response.header.Access-Control-Allow-Headers" = "'${join(",", [for h in split(",", var.cors_allowed_headers) : trimspace(h)])}'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
    "method.response.header.Vary"                         = "'Origin'"
  }
  # The Origin of the request when it is one of the list (the static value is the first origin).
  cors_preflight_template = join("", [
    "#set($origin = $input.params().header.get(\"Origin\"))",
    "#if(!$origin)#set($origin = $input.params().header.get(\"origin\"))#end",
    "#set($allowed = ${jsonencode(local.cors_origins)})",
    "#if($allowed.contains($origin))#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end",
  ])
}

resource "aws_api_gateway_method" "cors" {
  #checkov:skip=CKV2_AWS_53:a CORS preflight (OPTIONS, MOCK) carries no body or parameters to validate; API Gateway answers it itself
  for_each = local.cors_resources

  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = each.value
  http_method      = "OPTIONS"
  authorization    = "NONE"
  api_key_required = false
}

resource "aws_api_gateway_method_response" "cors" {
  for_each = aws_api_gateway_method.cors

  rest_api_id         = aws_api_gateway_rest_api.api.id
  resource_id         = each.value.resource_id
  http_method         = each.value.http_method
  status_code         = "200"
  response_parameters = { for name, _ in local.cors_preflight_headers : name => true }
}

resource "aws_api_gateway_integration" "cors" {
  for_each = aws_api_gateway_method.cors

  rest_api_id          = aws_api_gateway_rest_api.api.id
  resource_id          = each.value.resource_id
  http_method          = each.value.http_method
  type                 = "MOCK"
  passthrough_behavior = "NEVER"
  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_integration_response" "cors" {
  for_each = aws_api_gateway_method.cors

  rest_api_id         = aws_api_gateway_rest_api.api.id
  resource_id         = each.value.resource_id
  http_method         = each.value.http_method
  status_code         = aws_api_gateway_method_response.cors[each.key].status_code
  response_parameters = local.cors_preflight_headers
  response_templates = {
    "application/json" = local.cors_preflight_template
  }

  depends_on = [aws_api_gateway_integration.cors]
}

# API Gateway's own errors (403, 404, 429, 502, 504 ...) with the CORS headers, so a page can
# read them. With several origins a gateway response (static values only) says '*'.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each = local.cors_enabled ? toset(["DEFAULT_4XX", "DEFAULT_5XX"]) : toset([])

  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = each.value
  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"   = length(local.cors_origins) == 1 ? "'${try(local.cors_origins[0], "")}'" : "'*'"
    "gatewayresponse.header.Access-Control-Expose-Headers" = "'x-amzn-RequestId,x-amzn-ErrorType'"
  }
}
