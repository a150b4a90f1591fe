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

variable "deployment_preference" {
  type        = string
  default     = "AllAtOnce"
  description = "How a new version takes the live alias's traffic: AllAtOnce, or a CodeDeploy canary or linear shift (CodeDeployDefault.Lambda<value>)."

  validation {
    condition     = contains(["AllAtOnce", "Canary10Percent5Minutes", "Canary10Percent10Minutes", "Canary10Percent15Minutes", "Canary10Percent30Minutes", "Linear10PercentEvery1Minute", "Linear10PercentEvery2Minutes", "Linear10PercentEvery3Minutes", "Linear10PercentEvery10Minutes"], var.deployment_preference)
    error_message = "deployment_preference: AllAtOnce, Canary10Percent{5,10,15,30}Minutes or Linear10PercentEvery{1,2,3,10}Minute(s)."
  }
}

# -----------------------------------------------------------------------------------------------
# Gradual traffic shifting (the template's CodeDeployApplication, CodeDeployRole and
# FunctionDeploymentGroup, when deployment_preference is not AllAtOnce). Terraform has no
# counterpart of CloudFormation's CodeDeployLambdaAliasUpdate policy: `terraform apply` moves
# the alias itself, so with Terraform a gradual shift is started with `aws deploy
# create-deployment` (an AppSpec naming the alias and the two versions) on this group.
# https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
# -----------------------------------------------------------------------------------------------
resource "aws_codedeploy_app" "function" {
  count            = var.deployment_preference == "AllAtOnce" ? 0 : 1
  name             = "${local.function_name}-release"
  compute_platform = "Lambda"
}

data "aws_iam_policy_document" "codedeploy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  count = var.deployment_preference == "AllAtOnce" ? 0 : 1

  name               = "${var.name}-codedeploy"
  description        = "CodeDeploy: shifts the live alias's traffic between versions"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_assume.json
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  count = var.deployment_preference == "AllAtOnce" ? 0 : 1

  role       = aws_iam_role.codedeploy[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
}

resource "aws_codedeploy_deployment_group" "function" {
  count                  = var.deployment_preference == "AllAtOnce" ? 0 : 1
  app_name               = aws_codedeploy_app.function[0].name
  deployment_group_name  = "${local.function_name}-live"
  service_role_arn       = aws_iam_role.codedeploy[0].arn
  deployment_config_name = "CodeDeployDefault.Lambda${var.deployment_preference}"

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  # The stop condition: the composite "API unhealthy" alarm (observability.tf).
  alarm_configuration {
    enabled = true
    alarms  = [aws_cloudwatch_composite_alarm.api_unhealthy.alarm_name]
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }
}
