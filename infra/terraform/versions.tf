# Terraform alternative to infra/cfn/template.yaml: the same API Gateway (REST) -> Lambda ->
# DynamoDB stack, the same routes and the same security properties. README.md explains how to use
# it and where it differs from the CloudFormation path.
terraform {
  # 1.5: `import` blocks and the validation rules used in variables.tf.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: aws_api_gateway_deployment has no stage_name (the stage is its own resource here) and
      # destroying aws_api_gateway_account resets the account setting instead of leaving it
      # pointing at a deleted role (see api.tf).
      # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade
      version = "~> 6.0"
    }
  }
}

# Region and credentials come from the usual places (AWS_REGION / AWS_PROFILE, ~/.aws/config),
# as for `npx cli deploy`.
provider "aws" {
  default_tags {
    tags = {
      "app" = var.name
    }
  }
}
