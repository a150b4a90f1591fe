"""CloudFormation support moto 5.2.5 lacks for a COGNITO_USER_POOLS stack, imported by moto-server.py.

moto's CloudFormation skips AWS::Cognito::UserPool, UserPoolClient, UserPoolResourceServer and
AWS::ApiGateway::Authorizer ("No Moto CloudFormation support"), so a stack using them gets no pool,
no client and no authorizer, and its Outputs that name them fail to render (DescribeStacks answers
500). moto's Cognito and API Gateway backends implement all four; this module adds the
CloudFormation models that create them through those backends, with the `Ref` and `Fn::GetAtt`
values CloudFormation documents (aws-resource-cognito-userpool.html and siblings). It also passes
a Method's AuthorizerId and AuthorizationScopes on to PutMethod, which moto's Method model drops.
Must be imported before moto's CloudFormation first lists its models (they are cached).
"""
from typing import Any

from moto.apigateway import models as apigateway
from moto.cognitoidp import models as cognito
from moto.core.common_models import CloudFormationModel


def _backend(account_id: str, region_name: str):
    return cognito.cognitoidp_backends[account_id][region_name]


class _Wrapped:
    """A moto backend object as a CloudFormation resource: `Ref` is `ref()`, Fn::GetAtt reads `attributes()`.

    A mixin: moto lists the direct subclasses of CloudFormationModel only, so each model below is
    one, and sets __module__ because moto files every model under the service its module path
    names (moto.<service>....).
    """

    TYPE = ""
    NAME = "Name"

    def __init__(self, obj: Any):
        self.obj = obj

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME

    def ref(self) -> str:
        return self.obj.id

    def attributes(self) -> dict[str, str]:
        return {}

    @property
    def physical_resource_id(self) -> str:
        return self.ref()

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    ATTRIBUTES: tuple[str, ...] = ()

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.attributes()[attribute_name]


class CfnUserPool(_Wrapped, CloudFormationModel):
    __module__ = "moto.cognitoidp.cfn"
    TYPE = "AWS::Cognito::UserPool"
    NAME = "UserPoolName"
    ATTRIBUTES = ("Arn", "ProviderName", "ProviderURL", "UserPoolId")

    def attributes(self) -> dict[str, str]:
        provider = f"cognito-idp.{self.obj.region}.amazonaws.com/{self.obj.id}"
        return {"Arn": self.obj.arn, "ProviderName": provider, "ProviderURL": f"https://{provider}", "UserPoolId": self.obj.id}

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any) -> "CfnUserPool":
        props = dict(cloudformation_json.get("Properties", {}))
        name = props.pop("UserPoolName", resource_name)
        return cls(_backend(account_id, region_name).create_user_pool(name, props))

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).delete_user_pool(resource_name)


class CfnUserPoolClient(_Wrapped, CloudFormationModel):
    __module__ = "moto.cognitoidp.cfn"
    TYPE = "AWS::Cognito::UserPoolClient"
    NAME = "ClientName"
    ATTRIBUTES = ("ClientId", "Name")

    def attributes(self) -> dict[str, str]:
        return {"ClientId": self.obj.id, "Name": self.obj.extended_config.get("ClientName")}

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any) -> "CfnUserPoolClient":
        props = dict(cloudformation_json.get("Properties", {}))
        pool_id = props.pop("UserPoolId")
        generate_secret = str(props.pop("GenerateSecret", False)).lower() == "true"
        props.setdefault("ClientName", resource_name)
        return cls(_backend(account_id, region_name).create_user_pool_client(pool_id, generate_secret, props))


class CfnUserPoolResourceServer(_Wrapped, CloudFormationModel):
    __module__ = "moto.cognitoidp.cfn"
    TYPE = "AWS::Cognito::UserPoolResourceServer"

    def ref(self) -> str:
        return self.obj.identifier

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any) -> "CfnUserPoolResourceServer":
        props = cloudformation_json.get("Properties", {})
        return cls(_backend(account_id, region_name).create_resource_server(props["UserPoolId"], props["Identifier"], props.get("Name", resource_name), props.get("Scopes", [])))


class CfnAuthorizer(_Wrapped, CloudFormationModel):
    __module__ = "moto.apigateway.cfn"
    TYPE = "AWS::ApiGateway::Authorizer"
    ATTRIBUTES = ("AuthorizerId",)

    def attributes(self) -> dict[str, str]:
        return {"AuthorizerId": self.obj.id}

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any) -> "CfnAuthorizer":
        props = cloudformation_json.get("Properties", {})
        authorizer = apigateway.apigateway_backends[account_id][region_name].create_authorizer(
            props["RestApiId"],
            props.get("Name", resource_name),
            props["Type"],
            provider_arns=props.get("ProviderARNs"),
            auth_type=props.get("AuthType"),
            authorizer_uri=props.get("AuthorizerUri"),
            authorizer_credentials=props.get("AuthorizerCredentials"),
            identity_source=props.get("IdentitySource"),
            identiy_validation_expression=props.get("IdentityValidationExpression"),
            authorizer_result_ttl=props.get("AuthorizerResultTtlInSeconds"),
        )
        return cls(authorizer)


_method_from_cfn = apigateway.Method.create_from_cloudformation_json.__func__


def method_from_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    method = _method_from_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    props = cloudformation_json["Properties"]
    if props.get("AuthorizerId") is not None:
        method.authorizer_id = props["AuthorizerId"]
    if props.get("AuthorizationScopes") is not None:
        method.authorization_scopes = props["AuthorizationScopes"]
    return method


apigateway.Method.create_from_cloudformation_json = classmethod(method_from_cfn)
