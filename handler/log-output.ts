/**
 * Where the handler's lines go: straight to stdout, one JSON object per line.
 *
 * Not through console.*: with the function's LogFormat JSON, Lambda's Node.js runtime wraps what
 * console.* is given as `{"timestamp","level","requestId","message": <it>}`
 * (aws-lambda-nodejs-runtime-interface-client src/LogPatch.js, formatJsonMessage), so the
 * request's fields would sit under `message` and an EMF document would not be at the top level,
 * where CloudWatch looks for `_aws`. A JSON line written to stdout is kept as it is, and Lambda
 * filters it by its own `level` key against ApplicationLogLevel (a line without one counts as
 * INFO): https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 *
 * The same filter is applied here, from AWS_LAMBDA_LOG_LEVEL (which Lambda sets from
 * ApplicationLogLevel and its runtime reads, src/LogPatch.js), so a line Lambda would drop is
 * not even formatted, and `cli dev` shows what CloudWatch would keep.
 */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

const PRIORITY: Record<LogLevel, number> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

export interface LogOutput {
  /** True when a line of this level reaches the log. */
  enabled(level: LogLevel): boolean;
  /** Writes one JSON line (when its level is enabled). */
  write(level: LogLevel, record: object): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(PRIORITY, value);
}

/** The runtime's rule: an unknown or missing level lets everything through (TRACE). */
export function configuredLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  const value = env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? '';
  return isLogLevel(value) ? value : 'TRACE';
}

export function createLogOutput(env: NodeJS.ProcessEnv, writeLine: (line: string) => void = (line) => void process.stdout.write(line)): LogOutput {
  const threshold = PRIORITY[configuredLogLevel(env)];
  const enabled = (level: LogLevel) => PRIORITY[level] >= threshold;
  return {
    enabled,
    write(level, record) {
      if (enabled(level)) writeLine(`${JSON.stringify(record)}\n`);
    },
  };
}
