/** Stack outputs: ordered endpoint first, as a table for people and as JSON for files and scripts. */
import type { StackOutput } from '../aws/stack-api.js';

/** ApiEndpoint first, then the template's own order (`keyOrder`), then anything else. */
export function orderOutputs(outputs: readonly StackOutput[], keyOrder: readonly string[] = []): StackOutput[] {
  const rank = (key: string) => (key === 'ApiEndpoint' ? -1 : keyOrder.includes(key) ? keyOrder.indexOf(key) : keyOrder.length);
  return [...outputs].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

export function outputsRecord(outputs: readonly StackOutput[]): Record<string, string> {
  return Object.fromEntries(outputs.map((o) => [o.key, o.value]));
}

export function formatOutputsTable(outputs: readonly StackOutput[]): string[] {
  if (outputs.length === 0) return ['(the stack has no outputs)'];
  const width = Math.max(...outputs.map((o) => o.key.length));
  return outputs.map((o) => `${o.key.padEnd(width)}  ${o.value}`);
}
