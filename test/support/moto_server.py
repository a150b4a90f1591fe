"""moto_server with one fidelity fix, for the deploy tests and bench.

moto 5.2.5 builds a stack's Outputs only when the stack is created with CreateStack/UpdateStack;
ExecuteChangeSet applies the resources but keeps the Outputs of the template the stack had
before (none, for a stack created by a change set). CloudFormation itself recomputes Outputs
after every executed change set, so this wraps execute_change_set to do the same. Everything
else is moto as installed in .venv.
"""
import sys

from moto.cloudformation import models
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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
