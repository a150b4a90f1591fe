"""moto_server with two fidelity fixes, for the deploy tests and bench. Everything else is moto
as installed in .venv.

1. moto 5.2.5 builds a stack's Outputs only when the stack is created with CreateStack/
   UpdateStack; ExecuteChangeSet applies the resources but keeps the Outputs of the template the
   stack had before (none, for a stack created by a change set). CloudFormation recomputes
   Outputs after every executed change set, so execute_change_set is wrapped to do the same.
2. On update, moto decides which resources a parameter change touches by comparing the new
   values with the values the previous call passed explicitly, so a parameter that kept its
   default (or UsePreviousValue) counts as changed and every resource using it is "modified"
   (and, for types moto cannot update, dropped). CloudFormation compares resolved values; so
   does the wrapped build_resource_diff.
"""
import sys

from moto.cloudformation import models, parsing
from moto.server import main

_execute_change_set = models.CloudFormationBackend.execute_change_set


def execute_change_set(self, change_set_name, stack_name=None):
    _execute_change_set(self, change_set_name, stack_name)
    change_set = self.change_sets.get(change_set_name) or next(
        (cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name), None
    )
    if change_set is not None:
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = execute_change_set

_build_resource_diff = parsing.ResourceMap.build_resource_diff


def build_resource_diff(self, other_template, parameters=None):
    explicit = self.input_parameters
    self.input_parameters = {**self.resolved_parameters, **explicit}
    try:
        return _build_resource_diff(self, other_template, parameters)
    finally:
        self.input_parameters = explicit


parsing.ResourceMap.build_resource_diff = build_resource_diff

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
