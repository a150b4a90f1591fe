/**
 * Which property changes make CloudFormation replace a resource ("Update requires: Replacement"
 * in each resource's reference page), for the types this project's template uses. The lists are
 * the `createOnlyProperties` of the CloudFormation registry schemas (test/diff/replacement.test.ts
 * checks them against the schemas cfn-lint ships), plus what the reference pages add.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html
 */

export const REPLACING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  // KeySchema: "Update requires: Replacement" in
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
  // (the schema leaves it out: its handler refuses the change instead).
  'AWS::DynamoDB::Table': ['TableName', 'ImportSourceSpecification', 'KeySchema'],
  'AWS::Lambda::Function': ['FunctionName', 'PackageType', 'TenancyConfig'],
  'AWS::Lambda::Version': ['FunctionName', 'Description', 'CodeSha256', 'ProvisionedConcurrencyConfig', 'RuntimePolicy'],
  'AWS::Lambda::Alias': ['Name', 'FunctionName'],
  'AWS::Lambda::Permission': ['FunctionName', 'FunctionUrlAuthType', 'InvokedViaFunctionUrl', 'SourceAccount', 'SourceArn', 'Principal', 'PrincipalOrgID', 'Action', 'EventSourceToken'],
  'AWS::IAM::Role': ['Path', 'RoleName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::ApiGateway::RestApi': [],
  'AWS::ApiGateway::Resource': ['PathPart', 'ParentId', 'RestApiId'],
  'AWS::ApiGateway::Method': ['RestApiId', 'ResourceId', 'HttpMethod'],
  'AWS::ApiGateway::Deployment': ['DeploymentCanarySettings', 'RestApiId'],
  'AWS::ApiGateway::Stage': ['RestApiId', 'StageName'],
  'AWS::ApiGateway::Account': [],
  'AWS::ApiGateway::ApiKey': ['GenerateDistinctId', 'Name', 'Value'],
  'AWS::ApiGateway::UsagePlan': [],
  'AWS::ApiGateway::UsagePlanKey': ['KeyId', 'UsagePlanId', 'KeyType'],
  'AWS::ApiGateway::GatewayResponse': ['ResponseType', 'RestApiId'],
  'AWS::ApiGateway::Model': ['ContentType', 'Name', 'RestApiId'],
  'AWS::ApiGateway::RequestValidator': ['Name', 'RestApiId'],
  'AWS::ApiGateway::Authorizer': ['RestApiId'],
  'AWS::CodeDeploy::Application': ['ApplicationName', 'ComputePlatform'],
  'AWS::CodeDeploy::DeploymentGroup': ['DeploymentGroupName', 'ApplicationName'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::CompositeAlarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::WAFv2::WebACL': ['Name', 'Scope'],
  'AWS::WAFv2::WebACLAssociation': ['ResourceArn', 'WebACLArn'],
  'AWS::KMS::Key': [],
  'AWS::Cognito::UserPool': [],
  'AWS::Cognito::UserPoolClient': ['GenerateSecret', 'UserPoolId'],
  'AWS::SNS::TopicPolicy': [],
  'AWS::SNS::Subscription': ['Endpoint', 'Protocol', 'TopicArn'],
  'AWS::Logs::MetricFilter': ['FilterName', 'LogGroupName'],
  'AWS::Logs::ResourcePolicy': ['PolicyName'],
  'AWS::Cognito::UserPoolDomain': ['UserPoolId', 'Domain'],
  'AWS::Cognito::UserPoolResourceServer': ['UserPoolId', 'Identifier'],
  'AWS::Cognito::UserPoolGroup': ['UserPoolId', 'GroupName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::Lambda::EventInvokeConfig': ['FunctionName', 'Qualifier'],
  'AWS::IAM::Policy': [],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Description', 'Path'],
  'AWS::ApiGateway::DocumentationPart': ['Location', 'RestApiId'],
  'AWS::XRay::Group': [],
  'AWS::XRay::SamplingRule': ['SamplingRule'],
};

/** `yes`: the property replaces the resource; `unknown`: a type this table does not cover. */
export function replacesResource(resourceType: string, property: string): 'yes' | 'no' | 'unknown' {
  const list = REPLACING_PROPERTIES[resourceType];
  if (list === undefined) return 'unknown';
  return list.includes(property) ? 'yes' : 'no';
}
