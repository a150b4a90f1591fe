/**
 * The project's own template and the stack it becomes: every command (dev, deploy, publish,
 * lint, invoke, the stack commands) names them from here.
 */
import { join } from 'node:path';

/** Relative to the project root. */
export const TEMPLATE_PATH = join('infra', 'cfn', 'template.yaml');

/** The stack name when no flag, environment variable or config file names one; `cli dev` uses it too, so generated names match the cloud's. */
export const DEFAULT_STACK_NAME = 'serverless-api-gateway-lambda-dynamodb';
