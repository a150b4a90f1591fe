# -----------------------------------------------------------------------------------------------
# Release (the template's FunctionVersion + FunctionLiveAlias): the function publishes a version
# whenever its code or configuration changes (publish = true in function.tf), the `live` alias
# points at the latest one, and the API invokes the alias (api.tf: the integrations' uri and the
# invoke permission's qualifier). `npx cli deploy --hotswap` moves the same alias.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_alias
# -----------------------------------------------------------------------------------------------
resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The version the API invokes"
  function_name    = aws_lambda_function.handler.function_name
  function_version = aws_lambda_function.handler.version
}

output "function_alias_arn" {
  description = "The function's `live` alias, which the API invokes"
  value       = aws_lambda_alias.live.arn
}
