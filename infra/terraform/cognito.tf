# -----------------------------------------------------------------------------------------------
# Cognito (auth_mode COGNITO_USER_POOLS), the twin of the template's UserPool, UserPoolClient,
# UserPoolResourceServer and ApiAuthorizer: a user pool (or the one user_pool_arn names), an app
# client without a secret for USER_PASSWORD_AUTH / SRP sign-in (`npx cli token`), and the
# authorizer of every method. Users are created by an administrator only; the pool is protected
# from deletion like the table.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
# -----------------------------------------------------------------------------------------------
locals {
  auth_cognito         = var.auth_mode == "COGNITO_USER_POOLS"
  create_user_pool     = local.auth_cognito && var.user_pool_arn == ""
  authorization_scopes = [for s in split(",", var.authorization_scopes) : trimspace(s) if trimspace(s) != ""]
  cognito_scopes       = local.auth_cognito && length(local.authorization_scopes) > 0
  user_pool_id         = local.create_user_pool ? one(aws_cognito_user_pool.users[*].id) : (local.auth_cognito ? element(split("/", var.user_pool_arn), 1) : null)
}

resource "aws_cognito_user_pool" "users" {
  count = local.create_user_pool ? 1 : 0

  name                     = "${var.name}-users"
  deletion_protection      = "ACTIVE"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_cognito_resource_server" "items" {
  count = local.create_user_pool && local.cognito_scopes ? 1 : 0

  user_pool_id = aws_cognito_user_pool.users[0].id
  identifier   = "items"
  name         = "${var.name}-items"

  scope {
    scope_name        = "read"
    scope_description = "Read items"
  }

  scope {
    scope_name        = "write"
    scope_description = "Create, change and delete items"
  }
}

resource "aws_cognito_user_pool_client" "cli" {
  count = local.auth_cognito ? 1 : 0

  name                          = "${var.name}-cli"
  user_pool_id                  = local.user_pool_id
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  access_token_validity         = 60
  id_token_validity             = 60
  refresh_token_validity        = 30

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

resource "aws_api_gateway_authorizer" "cognito" {
  count = local.auth_cognito ? 1 : 0

  rest_api_id     = aws_api_gateway_rest_api.api.id
  name            = "${var.name}-cognito"
  type            = "COGNITO_USER_POOLS"
  identity_source = "method.request.header.Authorization"
  provider_arns   = [local.create_user_pool ? aws_cognito_user_pool.users[0].arn : var.user_pool_arn]
}

output "user_pool_id" {
  description = "Cognito user pool whose users may call the API, null unless auth_mode is COGNITO_USER_POOLS"
  value       = local.user_pool_id
}

output "user_pool_client_id" {
  description = "App client to sign in with (npx cli token), null unless auth_mode is COGNITO_USER_POOLS"
  value       = one(aws_cognito_user_pool_client.cli[*].id)
}

output "user_pool_issuer_url" {
  description = "Issuer (iss) of the pool's tokens, null unless auth_mode is COGNITO_USER_POOLS"
  value       = local.create_user_pool ? "https://${aws_cognito_user_pool.users[0].endpoint}" : (local.auth_cognito ? "https://cognito-idp.${element(split(":", var.user_pool_arn), 3)}.amazonaws.com/${local.user_pool_id}" : null)
}
