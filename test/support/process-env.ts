/**
 * Sets process.env variables for the current `describe` (before) and puts the previous values
 * back (after), for code that reads process.env itself, like the SDK's credential chain.
 * `undefined` removes a variable.
 */
export function useProcessEnv(values: Record<string, string | undefined>): void {
  const saved: Record<string, string | undefined> = {};
  const apply = (from: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(from)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  before(() => {
    for (const k of Object.keys(values)) saved[k] = process.env[k];
    apply(values);
  });
  after(() => apply(saved));
}
