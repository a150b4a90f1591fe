/**
 * The template as one deploy with given parameter values creates it, for scanners that cannot
 * evaluate conditions (checkov passes CKV_AWS_59 on `AuthorizationType: !If [...]` only because
 * it cannot tell which branch a deploy takes): parameters get their values (defaults, then
 * overrides, checked as `cli deploy` checks them), Conditions are evaluated, resources and
 * outputs whose Condition is false are left out, every `Fn::If` is replaced by the branch taken,
 * `Ref: AWS::NoValue` removes what holds it, and `Ref` of a parameter becomes its value. Every
 * other intrinsic (Ref of a resource, Fn::GetAtt, Fn::Sub, ...) is kept as written, so the
 * scanner still sees which resource refers to which.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/conditions-section-structure.html
 */
import { TemplateResolver } from '../../cli/local/intrinsics.js';
import { registry } from '../../cli/local/resources/registry.js';
import type { CfnTemplate, TemplateResource, TemplateValue } from '../../cli/template/cfn-template.js';

const NO_VALUE = Symbol('AWS::NoValue');
type Walked = TemplateValue | typeof NO_VALUE;

export function resolveConditions(template: CfnTemplate, overrides: Record<string, string> = {}, file = 'template'): CfnTemplate {
  const resolver = new TemplateResolver({
    template,
    file,
    // Conditions of this template read parameters only; the pseudo parameters are never resolved.
    pseudo: { region: 'us-east-1', accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com', stackName: 'scan', stackId: 'scan' },
    resources: registry,
    overrides,
  });
  const values = resolver.parameterValues();

  const walk = (value: TemplateValue, path: string): Walked => {
    if (Array.isArray(value)) {
      const out: TemplateValue[] = [];
      value.forEach((item, i) => {
        const r = walk(item, `${path}[${i}]`);
        if (r !== NO_VALUE) out.push(r);
      });
      return out;
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Fn::If') {
      const arg = value['Fn::If'];
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
        throw new Error(`${path}: Fn::If takes [condition name, value if true, value if false]`);
      }
      const [name, whenTrue, whenFalse] = arg as [string, TemplateValue, TemplateValue];
      return walk(resolver.condition(name, `${path}.Fn::If`) ? whenTrue : whenFalse, `${path}.Fn::If`);
    }
    if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') {
      if (value.Ref === 'AWS::NoValue') return NO_VALUE;
      const parameter = values[value.Ref];
      if (parameter !== undefined) return parameter;
      return value;
    }
    const out: Record<string, TemplateValue> = {};
    for (const key of keys) {
      const r = walk(value[key] as TemplateValue, `${path}.${key}`);
      if (r !== NO_VALUE) out[key] = r;
    }
    return out;
  };
  const exists = (condition: string | undefined, path: string) => condition === undefined || resolver.condition(condition, path);

  const resources: Record<string, TemplateResource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!exists(resource.Condition, `Resources.${id}.Condition`)) continue;
    const { Condition: _condition, ...rest } = resource;
    resources[id] = walk(rest as TemplateValue, `Resources.${id}`) as unknown as TemplateResource;
  }
  const outputs: NonNullable<CfnTemplate['Outputs']> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (!exists(output.Condition, `Outputs.${name}.Condition`)) continue;
    const { Condition: _condition, ...rest } = output;
    outputs[name] = walk(rest as TemplateValue, `Outputs.${name}`) as unknown as NonNullable<CfnTemplate['Outputs']>[string];
  }
  const parameters: NonNullable<CfnTemplate['Parameters']> = {};
  for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
    const value = values[name];
    parameters[name] = value === undefined ? spec : { ...spec, Default: Array.isArray(value) ? value.join(',') : value };
  }
  const { Conditions: _conditions, ...top } = template;
  return { ...top, Parameters: parameters, Resources: resources, Outputs: outputs };
}
