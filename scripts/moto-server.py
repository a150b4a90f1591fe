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
4. moto's CloudFormation does not support AWS::Lambda::Alias (it skips the resource with a
   warning, so the stack "succeeds" without it), and its AWS::Lambda::Version has neither a Ref
   (CloudFormation: the version's ARN) nor the Version attribute. Both are added here over moto's
   own Lambda backend (create_alias / update / delete_alias, publish_version).
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html#aws-resource-lambda-alias-return-values
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html#aws-resource-lambda-version-return-values
"""
import sys

from moto.cloudformation import models, parsing
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
