/**
 * The local URLs of a stack model: its Outputs with the API's cloud base URL replaced by the local
 * origin. Its own module, importing only the template reader and the model, so `cli invoke` can
 * compute `cli dev`'s default URLs without loading the emulator (esbuild, dynalite, the runtime).
 */
import { DEFAULT_STACK_NAME } from '../template/project.js';
import { readTemplate } from '../template/read-template.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REGION } from './defaults.js';
import { buildStackModel, type StackModel } from './stack-model.js';

/** Replaces the API's cloud base URL (https://<api>.execute-api.<region>.<suffix>) with the local origin. */
export function localizeOutputs(outputs: Record<string, string>, model: StackModel, origin: string): Record<string, string> {
  const cloud = `https://${model.api.id}.execute-api.${model.pseudo.region}.${model.pseudo.urlSuffix}`;
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.split(cloud).join(origin)]));
}

/**
 * What `cli dev` started with no options serves, read from the template without starting
 * anything: the outputs (local URLs) and the default stage's endpoint. `cli invoke` falls back
 * to it when no running `cli dev` left a state file.
 */
export async function defaultLocalEndpoints(root: string): Promise<{ endpoint: string; outputs: Record<string, string> }> {
  const model = buildStackModel(await readTemplate(root), { region: DEFAULT_REGION, stackName: DEFAULT_STACK_NAME, apiKeyValue: '' });
  const origin = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  return { endpoint: `${origin}/${model.api.stages[0]!.name}`, outputs: localizeOutputs(model.outputs, model, origin) };
}
