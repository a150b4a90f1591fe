/**
 * The template and parameter values a deploy would send for a stack, computed without sending
 * anything: the parameters resolved as deploy resolves them (stage defaults < cli.config.json <
 * --parameter-overrides < the artifact; a declared parameter with no new value keeps the
 * running stack's), and the text prepared with them (prepareTemplate). `cli diff` and
 * `deploy --hotswap` compare this with the deployed stack.
 */
import type { ChangeSetParameter } from '../aws/stack-api.js';
import { prepareTemplate } from '../template/prepare-template.js';
import type { TemplateParameters } from '../template/parameters.js';
import { changeSetParameters, effectiveValues, parameterLayers, type ParameterInputs } from './parameters.js';
import type { DeployTemplate } from './template-source.js';

export interface LocalTemplate {
  parameters: ChangeSetParameter[];
  /** The value of every parameter the stack would run with. */
  values: Record<string, string>;
  /** The prepared template text. */
  text: string;
}

export function localTemplate(
  template: DeployTemplate,
  inputs: ParameterInputs,
  artifact: { bucket: string; key: string },
  previous: Record<string, string> | undefined,
): LocalTemplate {
  const declared = (template.template.Parameters ?? {}) as TemplateParameters;
  const parameters = changeSetParameters({ declared, layers: parameterLayers(inputs, declared, artifact), previous });
  const values = effectiveValues(parameters, previous);
  return { parameters, values, text: prepareTemplate(template.text, { parameters: values }).text };
}
