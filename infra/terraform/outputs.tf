# The template's Outputs in snake_case (ApiEndpoint -> api_endpoint, ...), same values.
# `terraform output -json` gives them to scripts.

output "api_endpoint" {
  description = "Base URL of the stage"
  value       = aws_api_gateway_stage.this.invoke_url
}

output "dynamodb_manager_url" {
  description = "POST {\"operation\", \"tableName\", \"payload\"} here"
  value       = "${aws_api_gateway_stage.this.invoke_url}/DynamoDBManager"
}

output "items_url" {
  description = "REST collection (GET, POST; GET/PUT/PATCH/DELETE on /{id})"
  value       = "${aws_api_gateway_stage.this.invoke_url}/items"
}

output "table_name" {
  description = "DynamoDB table (protected by prevent_destroy)"
  value       = aws_dynamodb_table.items.name
}

output "function_name" {
  description = "Lambda function name"
  value       = aws_lambda_function.handler.function_name
}

output "function_log_group_name" {
  description = "CloudWatch Logs group of the function"
  value       = aws_cloudwatch_log_group.function.name
}

output "access_log_group_name" {
  description = "CloudWatch Logs group of the API's access logs"
  value       = aws_cloudwatch_log_group.access.name
}

output "api_key_id" {
  description = "API key id, null unless a key is required (auth_mode API_KEY or api_key_required; its value: aws apigateway get-api-key --api-key <id> --include-value)"
  value       = one(aws_api_gateway_api_key.this[*].id)
}

output "table_kms_key_arn" {
  description = "KMS key that encrypts the table (and, when this configuration created it, the log groups); null with the AWS managed key"
  value       = local.table_kms_key_arn
}

output "web_acl_name" {
  description = "AWS WAF web ACL on the stage (WAF console, Web ACLs, this region), null unless waf_enabled"
  value       = one(aws_wafv2_web_acl.api[*].name)
}
