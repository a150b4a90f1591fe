# -----------------------------------------------------------------------------------------------
# The API contract (issue 14), as in the template: one model per body shape, its schema read from
# the JSON Schema draft 4 file in handler/contract/ (the same file the handler and the template
# use), two request validators, the request model and validator of each route, and the
# documented responses. A malformed request gets API Gateway's 400 {"message":"Invalid request
# body"} without invoking the function. "$default" checks the body whatever its Content-Type.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
# -----------------------------------------------------------------------------------------------
locals {
  contract_models = {
    RpcRequest      = "rpc-request.json"
    RpcResult       = "rpc-result.json"
    Item            = "item.json"
    ItemReplacement = "item-replacement.json"
    ItemPatch       = "item-patch.json"
    ItemPage        = "item-page.json"
    Error           = "error.json"
  }

  # Per route: its validator, its request model (null: no body) and its responses (status = model, "" for none).
  route_contract = {
    "POST /DynamoDBManager" = { validator = "body_and_parameters", model = "RpcRequest", responses = { "200" = "RpcResult", "400" = "Error", "409" = "Error", "500" = "Error", "503" = "Error" } }
    "GET /items"            = { validator = "parameters", model = null, responses = { "200" = "ItemPage", "400" = "Error", "500" = "Error", "503" = "Error" } }
    "POST /items"           = { validator = "body_and_parameters", model = "Item", responses = { "201" = "Item", "400" = "Error", "409" = "Error", "500" = "Error", "503" = "Error" } }
    "GET /items/{id}"       = { validator = "parameters", model = null, responses = { "200" = "Item", "400" = "Error", "404" = "Error", "500" = "Error", "503" = "Error" } }
    "PUT /items/{id}"       = { validator = "body_and_parameters", model = "ItemReplacement", responses = { "200" = "Item", "201" = "Item", "400" = "Error", "500" = "Error", "503" = "Error" } }
    "PATCH /items/{id}"     = { validator = "body_and_parameters", model = "ItemPatch", responses = { "200" = "Item", "400" = "Error", "404" = "Error", "500" = "Error", "503" = "Error" } }
    "DELETE /items/{id}"    = { validator = "parameters", model = null, responses = { "204" = "", "400" = "Error", "404" = "Error", "500" = "Error", "503" = "Error" } }
  }

  route_responses = merge([
    for route, c in local.route_contract : {
      for status, model in c.responses : "${route} ${status}" => { route = route, status = status, model = model }
    }
  ]...)
}

resource "aws_api_gateway_model" "contract" {
  for_each = local.contract_models

  rest_api_id  = aws_api_gateway_rest_api.api.id
  name         = each.key
  content_type = "application/json"
  description  = "handler/contract/${each.value}"
  schema       = file("${path.module}/../../handler/contract/${each.value}")
}

resource "aws_api_gateway_request_validator" "contract" {
  for_each = {
    body_and_parameters = { name = "body-and-parameters", body = true }
    parameters          = { name = "parameters", body = false }
  }

  rest_api_id                 = aws_api_gateway_rest_api.api.id
  name                        = each.value.name
  validate_request_body       = each.value.body
  validate_request_parameters = true
}

resource "aws_api_gateway_method_response" "contract" {
  for_each = local.route_responses

  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = aws_api_gateway_method.route[each.value.route].resource_id
  http_method     = aws_api_gateway_method.route[each.value.route].http_method
  status_code     = each.value.status
  response_models = each.value.model == "" ? {} : { "application/json" = aws_api_gateway_model.contract[each.value.model].name }
}
