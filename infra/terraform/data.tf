# -----------------------------------------------------------------------------------------------
# Data: the table outlives everything else. CloudFormation keeps it with DeletionPolicy and
# UpdateReplacePolicy Retain; Terraform's counterpart is prevent_destroy, which makes any plan
# that would delete the table fail (`terraform destroy`, or a change that forces replacement such
# as a new table_name or key schema). It is stricter than Retain: Terraform refuses instead of
# leaving the table behind, so to tear down the rest and keep the data, first forget the table:
#   terraform state rm aws_dynamodb_table.items && terraform destroy
# server_side_encryption enabled with no kms_key_arn uses the AWS managed key aws/dynamodb, like
# SSEEnabled in the template (its key policy already lets any principal allowed to use DynamoDB in
# this account use it, so the function role needs no kms: action).
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table
# -----------------------------------------------------------------------------------------------
resource "aws_dynamodb_table" "items" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}
