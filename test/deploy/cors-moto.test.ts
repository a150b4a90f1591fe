/**
 * `cli deploy` of the template with CORS on, against a real moto server (scripts/moto-server.py,
 * fixes 4 to 6: moto 5.2.5's CloudFormation drops a MOCK method's integration, does not know
 * AWS::ApiGateway::GatewayResponse and leaves a list parameter's Default a string): the OPTIONS MOCK methods with their integration and method
 * responses, and the DEFAULT_4XX/5XX gateway responses, as CloudFormation creates them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-gatewayresponse.html).
 */
import { APIGatewayClient, GetGatewayResponsesCommand, GetIntegrationCommand, GetMethodCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { expect } from 'chai';
import { join } from 'node:path';
import { runCfnLint } from '../../cli/lint/cfn-lint.js';
import { deploy, type DeployDeps } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');

describe('cli/deploy with CORS against moto', () => {
  const suite = useMoto('cors-moto-', { handler: OK_HANDLER });

  it('creates an OPTIONS method with a MOCK integration on every resource, and the gateway responses', async () => {
    const reporter = createMemoryReporter();
    const deps: DeployDeps = {
      reporter,
      aws: await suite.clients(),
      build: async () => suite.artifact,
      lint: () => runCfnLint({ root }),
      loadTemplate: () => loadDeployTemplate(root),
      interactive: false,
      pollIntervalMs: 10,
    };
    const result = await deploy({ stackName: 'it-cors', yes: true, skipLint: true, parameterOverrides: { CorsAllowedOrigins: 'https://app.example.com', AuthMode: 'NONE' } }, deps);
    expect(result.stackStatus, reporter.stderr.join('\n')).to.equal('CREATE_COMPLETE');
    const apiId = /^https:\/\/(\w+)\.execute-api/.exec(result.outputs.ApiEndpoint!)?.[1];
    const client = new APIGatewayClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const { items = [] } = await client.send(new GetResourcesCommand({ restApiId: apiId }));
      const withOptions = items.filter((r) => r.resourceMethods?.OPTIONS).map((r) => r.path).sort();
      expect(withOptions).to.deep.equal(['/DynamoDBManager', '/items', '/items/{id}']);
      for (const resource of items.filter((r) => r.resourceMethods?.OPTIONS)) {
        const integration = await client.send(new GetIntegrationCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'OPTIONS' }));
        expect(integration.type, resource.path).to.equal('MOCK');
        expect(integration.passthroughBehavior).to.equal('NEVER');
        expect(integration.requestTemplates).to.deep.equal({ 'application/json': '{"statusCode": 200}' });
        const response = integration.integrationResponses?.['200'];
        expect(response?.responseParameters?.['method.response.header.Access-Control-Allow-Origin']).to.equal("'https://app.example.com'");
        expect(response?.responseTemplates?.['application/json']).to.include('#set($allowed = ["https://app.example.com"])');
        // The defaults of the list parameters, as lists (scripts/moto-server.py fix 6).
        expect(response?.responseParameters?.['method.response.header.Access-Control-Allow-Methods']).to.equal("'GET,POST,PUT,PATCH,DELETE,OPTIONS'");
        expect(response?.responseParameters?.['method.response.header.Access-Control-Allow-Headers']).to.equal("'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Api-Key'");
        const method = await client.send(new GetMethodCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'OPTIONS' }));
        expect(method.authorizationType).to.equal('NONE');
        expect(Object.keys(method.methodResponses?.['200']?.responseParameters ?? {})).to.include('method.response.header.Access-Control-Allow-Origin');
      }
      const { items: gateway = [] } = await client.send(new GetGatewayResponsesCommand({ restApiId: apiId }));
      const custom = gateway.filter((g) => g.responseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin']);
      expect(custom.map((g) => g.responseType).sort()).to.deep.equal(['DEFAULT_4XX', 'DEFAULT_5XX']);
      expect(custom[0]?.responseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin']).to.equal("'https://app.example.com'");
    } finally {
      client.destroy();
    }
  });
});
