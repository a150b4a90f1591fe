# -----------------------------------------------------------------------------------------------
# Protection (issue 11 section 3), the twin of the template's TableKey, WebAcl and
# WebAclAssociation: all optional, each behind its variable.
# -----------------------------------------------------------------------------------------------
data "aws_region" "current" {}

locals {
  # The table's key: null keeps DynamoDB's AWS managed key aws/dynamodb.
  table_kms_key_arn = var.table_kms_key == "CREATE" ? aws_kms_key.table[0].arn : var.table_kms_key == "AWS_MANAGED" ? null : var.table_kms_key
  # Log groups are encrypted only with a key this configuration made (and so whose policy lets
  # CloudWatch Logs use it); null keeps CloudWatch Logs' own encryption at rest.
  logs_kms_key_arn = var.table_kms_key == "CREATE" ? aws_kms_key.table[0].arn : null
  function_log_group_arn = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${local.function_name}"
  access_log_group_arn   = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/apigateway/${var.name}/${var.stage_name}/access"
}

# -----------------------------------------------------------------------------------------------
# table_kms_key = "CREATE": a customer managed key for the table and both log groups, rotated
# yearly, protected by prevent_destroy like the table (deleting the key would make the table
# unreadable; the template retains it). Least-privilege key policy: the account administers the
# key but may use it only through DynamoDB (as aws/dynamodb's own policy does), and CloudWatch
# Logs may use it only for this configuration's two log groups (named here, so the condition
# names them exactly).
# https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
# -----------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "table_key_policy" {
  # A key policy, not an IAM policy: its Resource is always "*", which means the key it is attached to.
  # https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
  #checkov:skip=CKV_AWS_109:a key policy's Resource "*" is the key itself; only the account's IAM admins (root principal, delegated to IAM) administer it
  #checkov:skip=CKV_AWS_111:a key policy's Resource "*" is the key itself; use is limited to DynamoDB (kms:ViaService) and to this configuration's log groups (encryption context)
  #checkov:skip=CKV_AWS_356:a key policy's Resource "*" is the key itself (the only value a key policy takes)
  statement {
    sid    = "KeyAdministration"
    effect = "Allow"
    actions = [
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:PutKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:EnableKeyRotation",
      "kms:DisableKeyRotation",
      "kms:ListResourceTags",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
      "kms:EnableKey",
      "kms:DisableKey",
      "kms:ListGrants",
      "kms:RevokeGrant",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
    ]
    # In a key policy "*" is the key itself.
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid    = "UseThroughDynamoDB"
    effect = "Allow"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
      "kms:CreateGrant",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid    = "StackLogGroups"
    effect = "Allow"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.function_log_group_arn, local.access_log_group_arn]
    }
  }
}

resource "aws_kms_key" "table" {
  count = var.table_kms_key == "CREATE" ? 1 : 0

  description         = "Encrypts the ${var.table_name} table and the log groups of ${var.name}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.table_key_policy.json

  lifecycle {
    prevent_destroy = true
  }
}

# -----------------------------------------------------------------------------------------------
# waf_enabled: an AWS WAF web ACL on the stage. AWS's baseline managed rule groups (common
# OWASP-style rules; known bad inputs such as Log4Shell probes) and a per-IP rate limit over 5
# minutes. Cloud only: `cli dev` does not emulate WAF (README, Known differences).
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
# -----------------------------------------------------------------------------------------------
resource "aws_wafv2_web_acl" "api" {
  #checkov:skip=CKV2_AWS_31:WAF logging (an aws-waf-logs- log group, billed per GB) is left to the operator; sampled requests and CloudWatch metrics cover blocked-request review
  count = var.waf_enabled ? 1 : 0

  name        = "${var.name}-api"
  description = "Managed rules and a per-IP rate limit for ${var.name}"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  visibility_config {
    sampled_requests_enabled   = true
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
  }

  rule {
    name     = "RateLimitPerIp"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      sampled_requests_enabled   = true
      cloudwatch_metrics_enabled = true
      metric_name                = "RateLimitPerIp"
    }
  }

  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        # Bodies over 8 KB: items may be up to 400 KB, so this rule counts instead of blocking.
        rule_action_override {
          name = "SizeRestrictions_BODY"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      sampled_requests_enabled   = true
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesCommonRuleSet"
    }
  }

  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 2

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      sampled_requests_enabled   = true
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesKnownBadInputsRuleSet"
    }
  }
}

resource "aws_wafv2_web_acl_association" "api" {
  count = var.waf_enabled ? 1 : 0

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = aws_wafv2_web_acl.api[0].arn
}
