"""moto_server with three fidelity fixes, for `npm run moto` (scripts/moto.mjs), the deploy tests and the
bench. Everything else is moto as installed in .venv.

1. moto 5.2.5 builds a stack's Outputs only when the stack is created with CreateStack/
   UpdateStack; ExecuteChangeSet applies the resources but keeps the Outputs of the template the
   stack had before (none, for a stack created by a change set). CloudFormation recomputes
   Outputs after every executed change set, so execute_change_set is wrapped to do the same.
2. On update, moto decides which resources a parameter change touches by comparing the new
   values with the values the previous call passed explicitly, so a parameter that kept its
   default (or UsePreviousValue) counts as changed and every resource using it is "modified"
   (and, for types moto cannot update, dropped). CloudFormation compares resolved values; so
   does the wrapped build_resource_diff.
3. CloudFormation scopes change set names to their stack; moto keeps one account-wide list and,
   given a name, DeleteChangeSet takes the oldest change set of that name, whichever stack it
   belongs to. The CLI names change sets after the clock (to the second), so two stacks deployed
   within a second share a name: lookups by name take the newest one of the stack named, as
   DescribeChangeSet and ExecuteChangeSet already take the newest.
4. moto 5.2.5 implements PutMetricAlarm and PutCompositeAlarm (one backend call, composite
   alarms being alarms with a rule) but has no CloudFormation model for AWS::CloudWatch::Alarm or
   AWS::CloudWatch::CompositeAlarm: a stack skips them ("No Moto CloudFormation support") and
   Ref/GetAtt of them fail. The models below create, replace and delete them through that call,
   with CloudFormation's generated name (<stack>-<logical id>-<suffix>) when AlarmName is absent,
   Ref the name and Fn::GetAtt Arn the ARN.
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html#aws-resource-cloudwatch-alarm-return-values
5. moto's CreateFunction keeps TracingConfig, but its AWS::Lambda::Function model passes only a
   few properties on, so a stack's function always reads Mode PassThrough. The wrapped model keeps
   the template's TracingConfig, on create and on update.
6. moto implements Subscribe but has no model for AWS::SNS::Subscription (only the Subscription
   list of AWS::SNS::Topic): a stack skips it. The model below subscribes on create, unsubscribes
   on delete; Ref is the subscription ARN.
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
"""
import sys

from moto.cloudformation import models, parsing
from moto.awslambda import models as awslambda
from moto.cloudwatch import models as cloudwatch
from moto.sns import models as sns
from moto.core.common_models import CloudFormationModel
from moto.server import main

def find_change_set(backend, change_set_name, stack_name=None):
    """By ARN, else the newest change set with this name (on this stack, when one is named)."""
    if change_set_name in backend.change_sets:
        return backend.change_sets[change_set_name]
    named = [cs for cs in backend.change_sets.values() if cs.change_set_name == change_set_name]
    on_stack = [cs for cs in named if stack_name in (cs.stack_name, cs.stack_id)]
    matches = on_stack or named
    return matches[-1] if matches else None


_execute_change_set = models.CloudFormationBackend.execute_change_set


def execute_change_set(self, change_set_name, stack_name=None):
    change_set = find_change_set(self, change_set_name, stack_name)
    _execute_change_set(self, change_set.change_set_id if change_set else change_set_name, stack_name)
    if change_set is not None:
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = execute_change_set

_delete_change_set = models.CloudFormationBackend.delete_change_set


def delete_change_set(self, change_set_name):
    change_set = find_change_set(self, change_set_name)
    _delete_change_set(self, change_set.change_set_id if change_set else change_set_name)


models.CloudFormationBackend.delete_change_set = delete_change_set

_build_resource_diff = parsing.ResourceMap.build_resource_diff


def build_resource_diff(self, other_template, parameters=None):
    explicit = self.input_parameters
    self.input_parameters = {**self.resolved_parameters, **explicit}
    try:
        return _build_resource_diff(self, other_template, parameters)
    finally:
        self.input_parameters = explicit


parsing.ResourceMap.build_resource_diff = build_resource_diff



def metric_queries(metrics):
    """AWS::CloudWatch::Alarm Metrics (MetricDataQuery) as moto's PutMetricAlarm handler builds them."""
    queries = []
    for m in metrics or []:
        stat = m.get("MetricStat")
        metric_stat = None
        if stat:
            metric = stat["Metric"]
            metric_stat = cloudwatch.MetricStat(
                metric=cloudwatch.Metric(
                    metric_name=metric["MetricName"],
                    namespace=metric["Namespace"],
                    dimensions=[cloudwatch.Dimension(name=d["Name"], value=d["Value"]) for d in metric.get("Dimensions", [])],
                ),
                period=stat.get("Period"),
                stat=stat.get("Stat"),
                unit=stat.get("Unit"),
            )
        queries.append(
            cloudwatch.MetricDataQuery(
                query_id=m["Id"],
                label=m.get("Label"),
                period=m.get("Period"),
                return_data=m.get("ReturnData", True),
                expression=m.get("Expression"),
                metric_stat=metric_stat,
            )
        )
    return queries


class StackAlarm:
    """One alarm of a stack: Ref is its name, Fn::GetAtt Arn its ARN. A mixin: moto finds models
    among the direct subclasses of CloudFormationModel (parsing.get_model_list)."""

    def __init__(self, alarm, account_id, region_name):
        self.alarm = alarm
        self.account_id = account_id
        self.region_name = region_name

    @property
    def physical_resource_id(self):
        return self.alarm.name

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Arn":
            return self.alarm.alarm_arn
        raise NotImplementedError(attribute_name)

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json.get("Properties", {})
        backend = cloudwatch.cloudwatch_backends[account_id][region_name]
        number = lambda key: float(p[key]) if p.get(key) is not None else None
        whole = lambda key: int(p[key]) if p.get(key) is not None else None
        alarm = backend.put_metric_alarm(
            name=p.get("AlarmName") or resource_name,
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            metric_data_queries=metric_queries(p.get("Metrics")) or None,
            comparison_operator=p.get("ComparisonOperator"),
            evaluation_periods=whole("EvaluationPeriods"),
            datapoints_to_alarm=whole("DatapointsToAlarm"),
            period=whole("Period"),
            threshold=number("Threshold"),
            statistic=p.get("Statistic"),
            extended_statistic=p.get("ExtendedStatistic"),
            description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions", []),
            alarm_actions=p.get("AlarmActions", []),
            ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []),
            unit=p.get("Unit"),
            actions_enabled=str(p.get("ActionsEnabled", True)).lower() != "false",
            treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"),
            rule=p.get("AlarmRule"),
        )
        return cls(alarm, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # PutMetricAlarm replaces an alarm of the same name; a new name is a new alarm.
        cloudwatch.cloudwatch_backends[account_id][region_name].delete_alarms([original_resource.alarm.name])
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        cloudwatch.cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])

    def delete(self, account_id, region_name):
        cloudwatch.cloudwatch_backends[account_id][region_name].delete_alarms([self.alarm.name])


class StackMetricAlarm(StackAlarm, CloudFormationModel):
    # moto files each model under the service its module is in (moto.<service>.models).
    __module__ = "moto.cloudwatch.models"

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"


class StackCompositeAlarm(StackAlarm, CloudFormationModel):
    __module__ = "moto.cloudwatch.models"

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::CompositeAlarm"


_create_function = awslambda.LambdaFunction.create_from_cloudformation_json.__func__
_update_function = awslambda.LambdaFunction.update_from_cloudformation_json.__func__


def keep_tracing(fn, cloudformation_json):
    tracing = cloudformation_json.get("Properties", {}).get("TracingConfig")
    if tracing:
        fn.tracing_config = tracing
    return fn


def create_function(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    return keep_tracing(_create_function(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs), cloudformation_json)


def update_function(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    return keep_tracing(_update_function(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name), cloudformation_json)


awslambda.LambdaFunction.create_from_cloudformation_json = classmethod(create_function)
awslambda.LambdaFunction.update_from_cloudformation_json = classmethod(update_function)


class StackSubscription(CloudFormationModel):
    __module__ = "moto.sns.models"

    def __init__(self, subscription, account_id, region_name):
        self.subscription = subscription
        self.account_id = account_id
        self.region_name = region_name

    @property
    def physical_resource_id(self):
        return self.subscription.arn

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::Subscription"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        backend = sns.sns_backends[account_id][region_name]
        return cls(backend.subscribe(p["TopicArn"], p["Endpoint"], p["Protocol"]), account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        sns.sns_backends[account_id][region_name].unsubscribe(resource_name)

    def delete(self, account_id, region_name):
        sns.sns_backends[account_id][region_name].unsubscribe(self.subscription.arn)


# The model list is cached on first use; these classes exist before it is built.
parsing.get_model_list.cache_clear()
parsing.get_model_map.cache_clear()
parsing.get_name_type_map.cache_clear()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
