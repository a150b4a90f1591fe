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
4. moto reads the YAML short form `!Condition Name` (a condition used inside Fn::And, Fn::Or,
   Fn::Not) as {"Fn::Condition": "Name"}, which its condition parser does not know, so the
   condition counts as false; CloudFormation's long form is {"Condition": "Name"}
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html).
   The YAML constructor is wrapped to produce that.
5. CloudFormation support for Cognito user pools, app clients, resource servers and API Gateway
   authorizers, which moto lacks (moto_cognito.py).
"""
import sys

import moto_cognito  # noqa: F401  (registers its CloudFormation models before moto lists them)

from moto.cloudformation import models, parsing, responses, utils
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

_yaml_tag_constructor = utils.yaml_tag_constructor


def yaml_tag_constructor(loader, tag, node):
    if tag == "!Condition":
        return {"Condition": node.value}
    return _yaml_tag_constructor(loader, tag, node)


models.yaml_tag_constructor = yaml_tag_constructor
responses.yaml_tag_constructor = yaml_tag_constructor

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
