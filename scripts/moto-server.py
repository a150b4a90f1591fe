"""moto_server with fifteen fidelity fixes, for `npm run moto` (scripts/moto.mjs), the deploy tests and the
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
4. An AWS::IAM::Role's inline `Policies` created by CloudFormation are stored as the parsed
   document, so GetRolePolicy answers Python's repr of a dict ({'Version': ...}) where IAM
   answers the URL-encoded JSON document. Role.put_policy keeps a JSON string, as PutRolePolicy
   (which passes one) already does.
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
5. moto's GetMetricData answers a percentile statistic (`p99`) with a null value that its
   serializer cannot write (HTTP 500). CloudWatch computes percentiles over the raw values of the
   period (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles);
   Statistics.get_statistics_for_type is wrapped to do the same (nearest rank), and to leave a
   period out when only statistic sets were published (CloudWatch cannot compute percentiles
   from those either).
6. moto 5.2.5 implements PutMetricAlarm and PutCompositeAlarm (one backend call, composite
   alarms being alarms with a rule) but has no CloudFormation model for AWS::CloudWatch::Alarm or
   AWS::CloudWatch::CompositeAlarm: a stack skips them ("No Moto CloudFormation support") and
   Ref/GetAtt of them fail. The models below create, replace and delete them through that call,
   with CloudFormation's generated name (<stack>-<logical id>-<suffix>) when AlarmName is absent,
   Ref the name and Fn::GetAtt Arn the ARN.
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html#aws-resource-cloudwatch-alarm-return-values
7. moto's X-Ray GetTraceSummaries truncates Duration to whole seconds, answers ResponseTime 1 and
   an empty Http for every trace, and fails (HTTP 500) on any FilterExpression. X-Ray's Duration
   is the root segment's start to the last segment's end and ResponseTime the root segment's
   own span, both in seconds with fractions, and Http is the root segment's request/response
   (https://docs.aws.amazon.com/xray/latest/api/API_TraceSummary.html). SegmentCollection.summary
   is replaced to compute those, and to evaluate the one filter the CLI sends, `service("name")`
   (a trace passes when one of its segments is named so:
   https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html); any other
   expression still fails as before.
8. moto's YAML loader expands every short-form tag `!X` to `{"Fn::X": ...}`, so `!Condition Name`
   (a condition used inside `!Or`/`!And`/`!Not`) becomes `{"Fn::Condition": "Name"}`, which
   parse_condition does not recognise and counts as false. CloudFormation's short form of the
   Condition function is `{"Condition": "Name"}`
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html),
   so the constructor is wrapped to produce that. (The template's ApiKeyEnabled condition is
   `!Or [!Condition AuthApiKey, ...]`: without this, AuthMode=API_KEY deploys methods that
   require no key.)
9. moto's AWS::ApiGateway::Method reads Integration.IntegrationHttpMethod and Uri unconditionally,
   so a MOCK integration (which has neither: a CORS preflight) stops with a KeyError after the
   method is made, leaving it without integration; it also drops the Integration's
   RequestTemplates, PassthroughBehavior and IntegrationResponses and the MethodResponses.
   CloudFormation creates all of them (AWS::ApiGateway::Method, "Integration" and
   "MethodResponses"), so the method is created through the same backend calls as
   PutMethod/PutMethodResponse/PutIntegration/PutIntegrationResponse.
10. moto's CloudFormation does not model AWS::ApiGateway::GatewayResponse (its API Gateway has
   PutGatewayResponse): the type is added, through that call.
11. moto splits a CommaDelimitedList (or List<...>) parameter into a list only when a value is
   passed; a Default stays one string, so `Ref` of it is a string: `Fn::Join` joins its characters
   and `Fn::Select [0, ...]` of an empty one fails (500 on ExecuteChangeSet). CloudFormation makes
   a list of the Default too, `''` being `['']`
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html,
   aws-cloudformation/cfn-language-discussion#102: a blank list parameter "becomes [""]").
   And an update that keeps a list parameter's previous value is given the list itself, which
   DescribeStacks then answers as Python's repr ("['a', 'b']"); it is made text again.
12. CloudFormation support for Cognito user pools, app clients, resource servers and API Gateway
    authorizers, which moto lacks (moto_cognito.py).
13. moto's CreateFunction keeps TracingConfig, but its AWS::Lambda::Function model passes only a
    few properties on, so a stack's function always reads Mode PassThrough. The wrapped model keeps
    the template's TracingConfig, on create and on update.
14. moto implements Subscribe but has no model for AWS::SNS::Subscription (only the Subscription
    list of AWS::SNS::Topic): a stack skips it. The model below subscribes on create, unsubscribes
    on delete; Ref is the subscription ARN.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
15. moto's CloudFormation does not support AWS::Lambda::Alias (it skips the resource with a
    warning, so the stack "succeeds" without it), and its AWS::Lambda::Version has neither a Ref
    (CloudFormation: the version's ARN) nor the Version attribute. Both are added here over moto's
    own Lambda backend (create_alias / update / delete_alias, publish_version).
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html#aws-resource-lambda-alias-return-values
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html#aws-resource-lambda-version-return-values
"""
import json
import sys

import moto_cognito  # noqa: F401  (registers its CloudFormation models before moto lists them)

from moto.cloudformation import models, parsing, responses, utils
from moto.iam import models as iam_models
from moto.server import main

_yaml_tag_constructor = utils.yaml_tag_constructor


def yaml_tag_constructor(loader, tag, node):
    if tag == "!Condition":
        return {"Condition": loader.construct_scalar(node)}
    return _yaml_tag_constructor(loader, tag, node)


# models and responses bind the name at import and register it at every parse.
utils.yaml_tag_constructor = models.yaml_tag_constructor = responses.yaml_tag_constructor = yaml_tag_constructor

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

_put_role_policy = iam_models.Role.put_policy


def put_role_policy(self, policy_name, policy_json):
    _put_role_policy(self, policy_name, policy_json if isinstance(policy_json, str) else json.dumps(policy_json))


iam_models.Role.put_policy = put_role_policy


# 5. Percentile statistics in GetMetricData.
import math
import re

from moto.cloudwatch import models as cloudwatch_models

_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")
_get_statistics_for_type = cloudwatch_models.Statistics.get_statistics_for_type


def get_statistics_for_type(self, stat):
    match = _PERCENTILE.match(stat)
    if match is None:
        return _get_statistics_for_type(self, stat)
    values = sorted(self.metric_single_values_list)
    if not values:
        return None
    rank = max(1, math.ceil(float(match.group(1)) / 100 * len(values)))
    return values[rank - 1]


cloudwatch_models.Statistics.get_statistics_for_type = get_statistics_for_type

_get_metric_data = cloudwatch_models.CloudWatchBackend.get_metric_data


def get_metric_data(self, *args, **kwargs):
    results = _get_metric_data(self, *args, **kwargs)
    for result in results:
        pairs = [(v, t) for v, t in zip(result["values"], result["timestamps"]) if v is not None]
        result["values"] = [v for v, _ in pairs]
        result["timestamps"] = [t for _, t in pairs]
    return results


cloudwatch_models.CloudWatchBackend.get_metric_data = get_metric_data


# 6, 13, 14. CloudWatch alarms, Lambda TracingConfig and SNS subscriptions in CloudFormation.
from moto.awslambda import models as awslambda
from moto.cloudwatch import models as cloudwatch
from moto.sns import models as sns
from moto.core.common_models import CloudFormationModel


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


# 7. X-Ray trace summaries: fractional durations, Http, and service("name") filters.
import datetime

from moto.core.exceptions import AWSError
from moto.xray import models as xray_models

_SERVICE_FILTER = re.compile(r'^\s*service\(\s*"([^"\\]*)"\s*\)\s*$')


def trace_summary(self, start_time, end_time, filter_expression=None):
    service = None
    if filter_expression is not None:
        match = _SERVICE_FILTER.match(filter_expression)
        if match is None:
            raise AWSError("Not implemented yet - moto", exception_type="InternalFailure", status=500)
        service = match.group(1)
    summaries = []
    for tid, trace in self._traces.items():
        if not (trace["finished"] and start_time < trace["start_date"] and trace["end_date"] < end_time):
            continue
        segments = trace["segments"]
        if service is not None and not any(seg.name == service for seg in segments):
            continue
        root = next((seg for seg in segments if seg.parent_id is None), segments[0])
        http = root.http or {}
        request = http.get("request", {})
        response = http.get("response", {})
        summary_http = {
            k: v
            for k, v in {
                "HttpURL": request.get("url"),
                "HttpMethod": request.get("method"),
                "HttpStatus": response.get("status"),
                "ClientIp": request.get("client_ip"),
                "UserAgent": request.get("user_agent"),
            }.items()
            if v is not None
        }
        end = max(seg.end_time for seg in segments if seg.end_time is not None)
        summaries.append(
            {
                "Annotations": {},
                "Duration": round(end - root.start_time, 6),
                "HasError": any("error" in seg.misc for seg in segments),
                "HasFault": any("fault" in seg.misc for seg in segments),
                "HasThrottle": any("throttle" in seg.misc for seg in segments),
                "Http": summary_http,
                "Id": tid,
                "IsPartial": False,
                "ResponseTime": round((root.end_time or end) - root.start_time, 6),
                "ServiceIds": [],
                "Users": [],
            }
        )
    return {
        "ApproximateTime": int((datetime.datetime.now() - datetime.datetime(1970, 1, 1)).total_seconds()),
        "TracesProcessedCount": len(summaries),
        "TraceSummaries": summaries,
    }


xray_models.SegmentCollection.summary = trace_summary


# 9-11. API Gateway MOCK methods, GatewayResponse, list parameters with a Default.
_load_parameters = parsing.ResourceMap.load_parameters


def load_parameters(self):
    _load_parameters(self)
    for name, spec in self._template.get("Parameters", {}).items():
        value_type = spec.get("Type", "String")
        value = self.resolved_parameters.get(name)
        is_list = value_type == "CommaDelimitedList" or (value_type.startswith("List<") and "SSM" not in value_type)
        if is_list and isinstance(value, list):
            # An update that keeps the previous value is handed the list Ref gave; the parameter's
            # value is the text (DescribeStacks answered Python's repr of the list, "['']").
            value = ",".join(str(v) for v in value)
            self.resolved_parameters[name] = value
        if isinstance(value, str) and is_list:
            items = value.split(",")
            if value_type == "List<Number>":
                items = [float(v) if "." in v else int(v) for v in items]
            # What Ref gives; the parameter's value (DescribeStacks, the next update's input) stays text.
            self._parsed_resources[name] = items


parsing.ResourceMap.load_parameters = load_parameters

from moto.apigateway import models as apigateway_models
from moto.core.common_models import CloudFormationModel


def create_method_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json["Properties"]
    backend = apigateway_models.apigateway_backends[account_id][region_name]
    api, resource, http_method = properties["RestApiId"], properties["ResourceId"], properties["HttpMethod"]
    method = backend.put_method(
        function_id=api,
        resource_id=resource,
        method_type=http_method,
        authorization_type=properties["AuthorizationType"],
        api_key_required=properties.get("ApiKeyRequired"),
        request_parameters=properties.get("RequestParameters"),
        # What moto's own model dropped too (moto_cognito.py wrapped it for these; this model
        # replaces that one, so it keeps them itself).
        authorizer_id=properties.get("AuthorizerId"),
        authorization_scopes=properties.get("AuthorizationScopes"),
    )
    for response in properties.get("MethodResponses", []):
        backend.put_method_response(api, resource, http_method, str(response["StatusCode"]), response.get("ResponseModels"), response.get("ResponseParameters"))
    integration = properties.get("Integration")
    if integration:
        backend.put_integration(
            function_id=api,
            resource_id=resource,
            method_type=http_method,
            integration_type=integration["Type"],
            uri=integration.get("Uri"),
            integration_method=integration.get("IntegrationHttpMethod"),
            request_templates=integration.get("RequestTemplates"),
            passthrough_behavior=integration.get("PassthroughBehavior"),
        )
        for response in integration.get("IntegrationResponses", []):
            backend.put_integration_response(
                api,
                resource,
                http_method,
                str(response["StatusCode"]),
                response.get("SelectionPattern"),
                response.get("ResponseTemplates"),
                response.get("ResponseParameters"),
            )
    return method


apigateway_models.Method.create_from_cloudformation_json = classmethod(create_method_from_cloudformation_json)


class CloudFormationGatewayResponse(CloudFormationModel):
    """AWS::ApiGateway::GatewayResponse: Ref is the response's id."""

    # moto's model metaclass names the service after the module (moto.<service>...).
    __module__ = "moto.apigateway.models"

    def __init__(self, api_id, response_type, region_name):
        self.api_id = api_id
        self.response_type = response_type
        self.physical_resource_id = f"{api_id}-{response_type}"
        self.region_name = region_name

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::GatewayResponse"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = apigateway_models.apigateway_backends[account_id][region_name]
        backend.put_gateway_response(
            rest_api_id=properties["RestApiId"],
            response_type=properties["ResponseType"],
            status_code=properties.get("StatusCode"),
            response_parameters=properties.get("ResponseParameters"),
            response_templates=properties.get("ResponseTemplates"),
        )
        return cls(properties["RestApiId"], properties["ResponseType"], region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        backend = apigateway_models.apigateway_backends[account_id][region_name]
        backend.delete_gateway_response(properties["RestApiId"], properties["ResponseType"])


# 15. AWS::Lambda::Alias, and a Version's Ref and attributes, in CloudFormation.
from moto.awslambda import models as lambda_models
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel

_create_version = lambda_models.LambdaVersion.create_from_cloudformation_json.__func__


def create_version(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    version = _create_version(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    name = cloudformation_json["Properties"]["FunctionName"]
    unqualified = lambda_models.lambda_backends[account_id][region_name].get_function(name).function_arn
    version.arn = f"{unqualified.rsplit(':', 1)[0] if unqualified.count(':') > 6 else unqualified}:{version.version}"
    return version


def version_attribute(self, attr):
    if attr == "Version":
        return str(self.version)
    if attr == "FunctionArn":
        return self.arn
    raise UnformattedGetAttTemplateException()


lambda_models.LambdaVersion.create_from_cloudformation_json = classmethod(create_version)
lambda_models.LambdaVersion.physical_resource_id = property(lambda self: self.arn)
lambda_models.LambdaVersion.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Version", "FunctionArn"))
lambda_models.LambdaVersion.get_cfn_attribute = version_attribute


class CfnLambdaAlias(CloudFormationModel):
    # moto's model metaclass files every model under the service named by its module.
    __module__ = "moto.awslambda.models"

    def __init__(self, alias, function_name):
        self.alias = alias
        self.function_name = function_name

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "AliasArn"

    @property
    def physical_resource_id(self):
        return self.alias.arn

    def get_cfn_attribute(self, attr):
        if attr == "AliasArn":
            return self.alias.arn
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        backend = lambda_models.lambda_backends[account_id][region_name]
        alias = backend.create_alias(p["Name"], p["FunctionName"], str(p["FunctionVersion"]), p.get("Description", ""), p.get("RoutingConfig"))
        return cls(alias, p["FunctionName"])

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        p = cloudformation_json["Properties"]
        original_resource.alias.update(p.get("Description"), str(p["FunctionVersion"]), p.get("RoutingConfig"))
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        p = cloudformation_json["Properties"]
        try:
            lambda_models.lambda_backends[account_id][region_name].delete_alias(p["Name"], p["FunctionName"])
        except Exception:  # noqa: BLE001 - the function went first: Lambda deletes its aliases with it
            pass

    def is_created(self):
        return True


# The model list is cached on first use; these classes exist before it is built.
parsing.get_model_list.cache_clear()
parsing.get_model_map.cache_clear()
parsing.get_name_type_map.cache_clear()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
