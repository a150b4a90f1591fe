# -----------------------------------------------------------------------------------------------
# Data: the table outlives everything else. CloudFormation keeps it with DeletionPolicy and
# UpdateReplacePolicy Retain; Terraform's counterpart is prevent_destroy, which makes any plan
# that would delete the table fail (`terraform destroy`, or a change that forces replacement such
# as a new table_name or key schema). It is stricter than Retain: Terraform refuses instead of
# leaving the table behind, so to tear down the rest and keep the data, first forget the table:
#   terraform state rm aws_dynamodb_table.items && terraform destroy
# server_side_encryption follows table_kms_key, like SSESpecification in the template: a null
# kms_key_arn uses the AWS managed key aws/dynamodb (its key policy already lets any principal
# allowed to use DynamoDB in this account use it, so the function role needs no kms: action); a
# customer managed key (security.tf, or an ARN) is then usable by the function role through
# DynamoDB only (function.tf). deletion_protection_enabled (default true, free) makes DynamoDB
# refuse DeleteTable from outside Terraform too.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table
# -----------------------------------------------------------------------------------------------
resource "aws_dynamodb_table" "items" {
  #checkov:skip=CKV_AWS_119:the customer managed key is opt-in (table_kms_key = CREATE or an ARN, about 1 USD a month); the default AWS managed key aws/dynamodb also encrypts at rest
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.table_kms_key_arn
  }

  deletion_protection_enabled = var.table_deletion_protection

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}
