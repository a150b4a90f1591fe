import { expect } from 'chai';
import { filterPattern, formatLogLine, parseLogLine, parseSince } from '../../cli/stack/logs.js';
import { UsageError } from '../../cli/errors.js';

describe('cli/stack/logs', () => {
  describe('parseSince', () => {
    it('reads durations and dates', () => {
      expect(parseSince('10m', 1_000_000)).to.equal(400_000);
      expect(parseSince('2h', 10_000_000)).to.equal(2_800_000);
      expect(parseSince('2030-01-01T00:00:00Z', 0)).to.equal(Date.UTC(2030, 0, 1));
      expect(() => parseSince('ten minutes', 0)).to.throw(UsageError, '--since "ten minutes"');
    });
  });

  describe('parseLogLine', () => {
    it('pretty-prints a Lambda JSON line and flags errors', () => {
      const line = parseLogLine({ eventId: '1', timestamp: Date.UTC(2030, 0, 1), message: '2030-01-01T00:00:00.000Z\tabc-123\tERROR\t{"level":"error","message":"put failed","table":"t","errorType":"ValidationException"}\n' });
      expect(line).to.deep.include({ level: 'ERROR', requestId: 'abc-123', message: 'put failed', isError: true, isPlatform: false });
      expect(line.fields).to.deep.equal({ table: 't', errorType: 'ValidationException' });
    });

    it('keeps plain text and marks platform lines', () => {
      expect(parseLogLine({ eventId: '2', timestamp: 0, message: 'REPORT RequestId: x Duration: 2 ms' })).to.deep.include({ isPlatform: true, isError: false });
      expect(parseLogLine({ eventId: '3', timestamp: 0, message: '2030-01-01T00:00:00.000Z\tx\tINFO\thello' })).to.deep.include({ level: 'INFO', message: 'hello', isError: false });
      expect(parseLogLine({ eventId: '4', timestamp: 0, message: 'Task timed out after 10.00 seconds' }).isError).to.equal(true);
    });

    // The handler's one line per request, as Lambda stores it. The handler logs with console.log,
    // so Lambda's own level is INFO; its requestId is API Gateway's (the one in a 500 body), the
    // tab-separated or envelope requestId is Lambda's. Text: the Node runtime writes
    // `${time}\t${requestId}\t${level}\t${message}` (aws-lambda-nodejs-runtime-interface-client
    // src/LogPatch.js, logTextToStdout; https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html).
    // JSON LogFormat: `{"timestamp","level","requestId","message"}` with the logged string as
    // message (LogPatch.js formatJsonMessage; https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html).
    const LAMBDA_ID = '3f1c7a52-0b6e-4d8e-9a41-6a2d0c9e5b17';
    const API_ID = '9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24';
    const handlerLine = JSON.stringify({ level: 'error', requestId: API_ID, route: 'POST /DynamoDBManager', status: 500, durationMs: 12 });
    const shown = `ERROR ${LAMBDA_ID} {"requestId":"${API_ID}","route":"POST /DynamoDBManager","status":500,"durationMs":12}`;
    const plain = { dim: (s: string) => s, red: (s: string) => s, bold: (s: string) => s, green: (s: string) => s, cyan: (s: string) => s, yellow: (s: string) => s };

    it("shows Lambda's request id and keeps the handler's requestId of a text-format line", () => {
      const line = parseLogLine({ eventId: '5', timestamp: Date.UTC(2030, 0, 1), message: `2030-01-01T00:00:00.000Z\t${LAMBDA_ID}\tINFO\t${handlerLine}\n` });
      expect(line).to.deep.include({ level: 'ERROR', requestId: LAMBDA_ID, isError: true });
      expect(formatLogLine(line, plain)).to.equal(`2030-01-01T00:00:00.000Z ${shown}`);
    });

    it('reads the same line in the JSON log format, its message the logged JSON text', () => {
      const envelope = JSON.stringify({ timestamp: '2030-01-01T00:00:00.000Z', level: 'INFO', requestId: LAMBDA_ID, message: handlerLine });
      const line = parseLogLine({ eventId: '6', timestamp: Date.UTC(2030, 0, 1), message: envelope + '\n' });
      expect(formatLogLine(line, plain)).to.equal(`2030-01-01T00:00:00.000Z ${shown}`);
    });

    it("reads the handler's own JSON line (written to stdout, fields top-level: handler/log-output.ts)", () => {
      const own = JSON.stringify({ timestamp: '2030-01-01T00:00:00.000Z', level: 'ERROR', message: 'POST /DynamoDBManager 500', requestId: LAMBDA_ID, apiRequestId: API_ID, traceId: '1-5759e988-bd862e3fe1be46a994272793', route: 'POST /DynamoDBManager', status: 500 });
      const line = parseLogLine({ eventId: '11', timestamp: Date.UTC(2030, 0, 1), message: own + '\n' });
      expect(line).to.deep.include({ level: 'ERROR', requestId: LAMBDA_ID, message: 'POST /DynamoDBManager 500', isError: true });
      expect(line.fields).to.deep.equal({ apiRequestId: API_ID, traceId: '1-5759e988-bd862e3fe1be46a994272793', route: 'POST /DynamoDBManager', status: 500 });
    });

    it('shows an EMF document as its dimensions and values', () => {
      const doc = JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'n', Dimensions: [['Route']], Metrics: [{ Name: 'Requests', Unit: 'Count' }] }] }, Route: 'GET /items', Requests: 1 });
      const line = parseLogLine({ eventId: '12', timestamp: 0, message: doc + '\n' });
      expect(formatLogLine(line, plain)).to.equal('1970-01-01T00:00:00.000Z metrics {"Route":"GET /items","Requests":1}');
    });

    it("drops the handler's requestId when it is Lambda's (a direct invoke) and names platform events of the JSON format", () => {
      const direct = parseLogLine({ eventId: '7', timestamp: 0, message: `1970-01-01T00:00:00.000Z\t${LAMBDA_ID}\tINFO\t{"level":"info","requestId":"${LAMBDA_ID}","status":200}` });
      expect(formatLogLine(direct, plain)).to.equal(`1970-01-01T00:00:00.000Z INFO  ${LAMBDA_ID} {"status":200}`);
      // System logs in JSON: the Telemetry API schema (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html).
      const start = parseLogLine({ eventId: '8', timestamp: 0, message: `{"time":"1970-01-01T00:00:00.000Z","type":"platform.start","record":{"requestId":"${LAMBDA_ID}","version":"$LATEST"}}` });
      expect(start).to.deep.include({ isPlatform: true, isError: false, requestId: LAMBDA_ID });
      expect(formatLogLine(start, plain)).to.equal(`1970-01-01T00:00:00.000Z ${LAMBDA_ID} platform.start {"version":"$LATEST"}`);
      const report = parseLogLine({ eventId: '9', timestamp: 0, message: `{"time":"1970-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"${LAMBDA_ID}","status":"timeout"}}` });
      expect(report).to.deep.include({ isPlatform: true, isError: true });
      // Text platform lines already name the request: not repeated.
      const end = parseLogLine({ eventId: '10', timestamp: 0, message: `END RequestId: ${LAMBDA_ID}\n` });
      expect(end.requestId).to.equal(LAMBDA_ID);
      expect(formatLogLine(end, plain)).to.equal(`1970-01-01T00:00:00.000Z END RequestId: ${LAMBDA_ID}`);
    });
  });

  describe('filterPattern', () => {
    // "Enclose exact phrases and terms that include non-alphanumeric characters in double quotation
    // marks": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    const cases: [string, string | undefined][] = [
      ['9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24', '"9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24"'],
      ['  abc-123 ', '"abc-123"'],
      ['ERROR', 'ERROR'],
      ['"already quoted"', '"already quoted"'],
      ['ERROR -Exiting', 'ERROR -Exiting'],
      ['?ERROR ?WARN', '?ERROR ?WARN'],
      ['{ $.level = "error" }', '{ $.level = "error" }'],
      ['%timed out%', '%timed out%'],
      ['[ip, user]', '[ip, user]'],
      ['', undefined],
    ];
    for (const [input, sent] of cases) {
      it(`sends ${JSON.stringify(input)} as ${JSON.stringify(sent)}`, () => {
        expect(filterPattern(input)).to.equal(sent);
      });
    }
  });
});
