"""moto_server with six fidelity fixes, for `npm run moto` (scripts/moto.mjs), the deploy tests and the
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
4. moto's AWS::ApiGateway::Method reads Integration.IntegrationHttpMethod and Uri unconditionally,
   so a MOCK integration (which has neither: a CORS preflight) stops with a KeyError after the
   method is made, leaving it without integration; it also drops the Integration's
   RequestTemplates, PassthroughBehavior and IntegrationResponses and the MethodResponses.
   CloudFormation creates all of them (AWS::ApiGateway::Method, "Integration" and
   "MethodResponses"), so the method is created through the same backend calls as
   PutMethod/PutMethodResponse/PutIntegration/PutIntegrationResponse.
5. moto's CloudFormation does not model AWS::ApiGateway::GatewayResponse (its API Gateway has
   PutGatewayResponse): the type is added, through that call.
6. moto splits a CommaDelimitedList (or List<...>) parameter into a list only when a value is
   passed; a Default stays one string, so `Ref` of it is a string: `Fn::Join` joins its characters
   and `Fn::Select [0, ...]` of an empty one fails (500 on ExecuteChangeSet). CloudFormation makes
   a list of the Default too, `''` being `['']`
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html,
   aws-cloudformation/cfn-language-discussion#102: a blank list parameter "becomes [""]").
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

_load_parameters = parsing.ResourceMap.load_parameters


def load_parameters(self):
    _load_parameters(self)
    for name, spec in self._template.get("Parameters", {}).items():
        value_type = spec.get("Type", "String")
        value = self.resolved_parameters.get(name)
        if isinstance(value, str) and (value_type == "CommaDelimitedList" or (value_type.startswith("List<") and "SSM" not in value_type)):
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
