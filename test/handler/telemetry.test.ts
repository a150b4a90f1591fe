/**
 * The handler's observability output per request: the EMF metrics document, the log line's
 * correlation fields, the X-Ray subsegments of its DynamoDB calls, and the log-level filter.
 * Real dynalite behind the handler; a real UDP listener on 127.0.0.1 stands for the X-Ray daemon.
 */
import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createHandler, type LogLine, type ProxyHandler } from '../../handler/create-handler.js';
import { emfDocument, type EmfDocument } from '../../handler/emf.js';
import { configuredLogLevel, createLogOutput } from '../../handler/log-output.js';
import { currentTraceHeader, parseTraceHeader } from '../../handler/trace-header.js';
import { createSubsegmentEmitter, parseDaemonAddress, type SubsegmentDocument } from '../../handler/xray-subsegments.js';
import { startHarness, type Harness } from './harness.js';
import { proxyEvent } from './proxy-event.js';

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('handler telemetry', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('telemetry-table');
  });
  after(() => h.stop());

  function observedHandler(env: NodeJS.ProcessEnv = {}): { handler: ProxyHandler; docs: EmfDocument[]; logs: LogLine[] } {
    const docs: EmfDocument[] = [];
    const logs: LogLine[] = [];
    const handler = createHandler({ db: h.db, tableName: h.tableName, metricsNamespace: 'ItemsApi/test', metrics: (d) => docs.push(d), log: (l) => logs.push(l), env });
    return { handler, docs, logs };
  }

  describe('emfDocument', () => {
    // The specification: _aws.Timestamp (epoch ms), CloudWatchMetrics[] of {Namespace, Dimensions
    // (arrays of member names), Metrics [{Name, Unit}]}; every dimension and metric a top-level member.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    function expectValidEmf(doc: EmfDocument): void {
      expect(doc._aws.Timestamp).to.be.a('number').and.above(Date.UTC(2020, 0, 1));
      for (const directive of doc._aws.CloudWatchMetrics) {
        expect(directive.Namespace).to.match(/^[A-Za-z0-9._\-/#: ]{1,255}$/);
        expect(directive.Dimensions.length).to.be.within(1, 30);
        for (const set of directive.Dimensions) for (const name of set) expect(doc[name], `dimension ${name}`).to.be.a('string');
        for (const metric of directive.Metrics) {
          const value = doc[metric.Name];
          expect(typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'number')), `metric ${metric.Name}`).to.equal(true);
        }
      }
    }

    it('writes one document per RPC request, per route and per route and operation, with the DynamoDB call', async () => {
      const { handler, docs } = observedHandler();
      await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'create', payload: { Item: { id: 'emf-1', secret: 'SECRET' } } } }));
      expect(docs).to.have.length(1);
      const [doc] = docs;
      expectValidEmf(doc!);
      expect(doc!._aws.CloudWatchMetrics.map((d) => d.Dimensions)).to.deep.equal([[['Route'], ['Route', 'Operation']], [['DynamoDBOperation']]]);
      expect(doc).to.include({ Route: 'POST /DynamoDBManager', Operation: 'create', Requests: 1, Errors4xx: 0, Errors5xx: 0, DynamoDBOperation: 'PutItem' });
      expect(doc!.Latency).to.be.a('number').and.at.least(0);
      expect(doc!.DynamoDBLatency).to.be.a('number').and.at.least(0).and.at.most(doc!.Latency as number);
      // PutItem of a 1 KB-or-smaller item: 1 write capacity unit (ReturnConsumedCapacity TOTAL).
      expect(doc!.DynamoDBConsumedCapacity).to.equal(1);
      expect(JSON.stringify(doc)).to.not.include('SECRET').and.not.include('emf-1');
    });

    it('writes one document per REST request, counting a 4xx and the route template, not the id', async () => {
      const { handler, docs } = observedHandler();
      await handler(proxyEvent('GET', '/items/no-such-emf-item'));
      expect(docs).to.have.length(1);
      expectValidEmf(docs[0]!);
      expect(docs[0]!._aws.CloudWatchMetrics[0]!.Dimensions).to.deep.equal([['Route']]);
      expect(docs[0]).to.include({ Route: 'GET /items/{id}', Requests: 1, Errors4xx: 1, Errors5xx: 0, DynamoDBOperation: 'GetItem' });
      expect(docs[0]!.Operation).to.equal(undefined);
      expect(JSON.stringify(docs[0])).to.not.include('no-such-emf-item');
    });

    it('counts unmatched paths and unknown operations under closed dimension values (each value is a billed metric)', async () => {
      const { handler, docs } = observedHandler();
      await handler(proxyEvent('GET', '/random-path-1234'));
      await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'no-such-op-5678' } }));
      expect(docs.map((d) => [d.Route, d.Operation ?? null, d.Errors4xx])).to.deep.equal([
        ['unmatched', null, 1],
        ['POST /DynamoDBManager', null, 1],
      ]);
      expect(JSON.stringify(docs)).to.not.include('1234').and.not.include('5678');
    });

    it('counts a 5xx', async () => {
      const docs: EmfDocument[] = [];
      const handler = createHandler({ db: h.db, tableName: 'no-such-table', metricsNamespace: 'n', metrics: (d) => docs.push(d), log: () => undefined, env: {} });
      await handler(proxyEvent('GET', '/items/x'));
      expect(docs[0]).to.include({ Errors5xx: 1, Errors4xx: 0, DynamoDBOperation: 'GetItem' });
    });

    it('writes no document without a namespace', async () => {
      const lines: string[] = [];
      const original = process.stdout.write;
      process.stdout.write = ((chunk: string) => (lines.push(chunk), true)) as typeof process.stdout.write;
      try {
        await createHandler({ db: h.db, tableName: h.tableName, env: {} })(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'ping' } }));
      } finally {
        process.stdout.write = original;
      }
      expect(lines).to.have.length(1);
      expect(lines[0]).to.not.include('_aws');
    });

    it('holds every call\'s values when a request makes more than one DynamoDB call', () => {
      const call = (ms: number, cu: number) => ({ operation: 'GetItem', table: 't', startedAt: 1000, endedAt: 1000 + ms, retries: 0, capacityUnits: cu });
      const doc = emfDocument('n', { route: 'GET /items/{id}', status: 200, latencyMs: 9, dynamodb: [call(2, 0.5), call(3, 1)], timestamp: 5 });
      expect(doc).to.include({ DynamoDBOperation: 'GetItem' });
      expect(doc.DynamoDBLatency).to.deep.equal([2, 3]);
      expect(doc.DynamoDBConsumedCapacity).to.deep.equal([0.5, 1]);
    });
  });

  describe('log line', () => {
    it('carries both request ids, the trace id and the route, from Lambda\'s trace variable', async () => {
      const { handler, logs } = observedHandler({ _X_AMZN_TRACE_ID: TRACE });
      await handler(proxyEvent('PUT', '/items/log-item', { body: { id: 'log-item', token: 'Bearer SECRET' }, requestId: 'gw-9', headers: { Authorization: 'Bearer SECRET-TOKEN' } }), { awsRequestId: 'lambda-9' });
      expect(logs[0]).to.include({ requestId: 'lambda-9', apiRequestId: 'gw-9', traceId: '1-5759e988-bd862e3fe1be46a994272793', route: 'PUT /items/{id}', status: 201 });
      expect(JSON.stringify(logs[0])).to.not.include('SECRET').and.not.include('log-item');
    });

    it('takes the trace id from API Gateway\'s X-Amzn-Trace-Id header when Lambda gives none', async () => {
      const { handler, logs } = observedHandler();
      await handler(proxyEvent('GET', '/items', { headers: { 'X-Amzn-Trace-Id': 'Root=1-00000001-000000000000000000000002' } }));
      expect(logs[0]!.traceId).to.equal('1-00000001-000000000000000000000002');
    });
  });

  describe('parseTraceHeader', () => {
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
    it('reads Root, Parent and Sampled, and refuses a header without a valid Root', () => {
      expect(parseTraceHeader(TRACE)).to.deep.equal({ root: '1-5759e988-bd862e3fe1be46a994272793', parent: '53995c3f42cd8ad8', sampled: true });
      expect(parseTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0')).to.deep.equal({ root: '1-5759e988-bd862e3fe1be46a994272793', sampled: false });
      expect(parseTraceHeader('Root=abc;Parent=53995c3f42cd8ad8')).to.equal(undefined);
      expect(parseTraceHeader(`Root=1-5759e988-bd862e3fe1be46a994272793;${'x'.repeat(600)}`)).to.equal(undefined);
      expect(currentTraceHeader({}, { 'x-amzn-trace-id': TRACE })?.parent).to.equal('53995c3f42cd8ad8');
      expect(currentTraceHeader({}, null)).to.equal(undefined);
    });
  });

  describe('createLogOutput', () => {
    it('drops lines below AWS_LAMBDA_LOG_LEVEL, as Lambda does with ApplicationLogLevel, and lets all through without it', () => {
      const lines: string[] = [];
      const warn = createLogOutput({ AWS_LAMBDA_LOG_LEVEL: 'warn' }, (l) => lines.push(l));
      warn.write('INFO', { a: 1 });
      warn.write('WARN', { b: 2 });
      warn.write('ERROR', { c: 3 });
      expect(lines).to.deep.equal(['{"b":2}\n', '{"c":3}\n']);
      expect(configuredLogLevel({})).to.equal('TRACE');
      expect(configuredLogLevel({ AWS_LAMBDA_LOG_LEVEL: 'nonsense' })).to.equal('TRACE');
    });
  });

  describe('createSubsegmentEmitter', () => {
    let daemon: Socket;
    let address: string;
    const received: string[] = [];
    let waiting: (() => void) | undefined;
    const nextDatagram = async (count: number) => {
      while (received.length < count) await new Promise<void>((resolve) => (waiting = resolve));
    };

    before(async () => {
      daemon = createSocket('udp4');
      daemon.on('message', (msg) => {
        received.push(msg.toString('utf8'));
        waiting?.();
      });
      daemon.bind(0, '127.0.0.1');
      await once(daemon, 'listening');
      address = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
    });
    after(() => daemon.close());

    it('is silent and loads no socket module without AWS_XRAY_DAEMON_ADDRESS', async () => {
      const requested: string[] = [];
      const original = process.getBuiltinModule;
      process.getBuiltinModule = ((id: string) => (requested.push(id), original(id))) as typeof process.getBuiltinModule;
      try {
        const handler = createHandler({ db: h.db, tableName: h.tableName, log: () => undefined, metrics: () => undefined, env: { _X_AMZN_TRACE_ID: TRACE } });
        expect((await handler(proxyEvent('GET', '/items/silent'))).statusCode).to.equal(404);
      } finally {
        process.getBuiltinModule = original;
      }
      expect(requested).to.deep.equal([]);
    });

    it('sends each DynamoDB call of a sampled request as a standalone subsegment to the daemon', async () => {
      received.length = 0;
      const env = { _X_AMZN_TRACE_ID: TRACE, AWS_XRAY_DAEMON_ADDRESS: address, AWS_REGION: 'eu-west-1' };
      const handler = createHandler({ db: h.db, tableName: h.tableName, log: () => undefined, metrics: () => undefined, env });
      const before = Date.now() / 1000;
      await handler(proxyEvent('POST', '/items', { body: { id: 'traced-1', secret: 'SECRET' } }));
      await nextDatagram(1);
      // The daemon protocol: a JSON header line, then the segment document.
      // https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-daemon
      const [header, body] = received[0]!.split('\n');
      expect(JSON.parse(header!)).to.deep.equal({ format: 'json', version: 1 });
      const doc = JSON.parse(body!) as SubsegmentDocument;
      // Required fields of a subsegment sent on its own: type, parent_id, trace_id, id (16 hex), times.
      // https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html#api-segmentdocuments-subsegments
      expect(doc).to.deep.include({ name: 'DynamoDB', type: 'subsegment', namespace: 'aws', trace_id: '1-5759e988-bd862e3fe1be46a994272793', parent_id: '53995c3f42cd8ad8', http: { response: { status: 200 } } });
      expect(doc.id).to.match(/^[0-9a-f]{16}$/);
      expect(doc.start_time).to.be.at.least(Math.floor(before)).and.at.most(doc.end_time);
      expect(doc.aws).to.deep.include({ operation: 'PutItem', table_name: h.tableName, region: 'eu-west-1', retries: 0 });
      expect(doc.error ?? doc.fault ?? doc.throttle).to.equal(undefined);
      expect(body).to.not.include('SECRET').and.not.include('traced-1');
    });

    it('marks a failed condition as an error (4xx), and sends nothing for a request that is not sampled', async () => {
      received.length = 0;
      const emitter = createSubsegmentEmitter({ AWS_XRAY_DAEMON_ADDRESS: address });
      const unsampled = createHandler({ db: h.db, tableName: h.tableName, log: () => undefined, metrics: () => undefined, subsegments: emitter, env: { _X_AMZN_TRACE_ID: TRACE.replace('Sampled=1', 'Sampled=0') } });
      await unsampled(proxyEvent('POST', '/items', { body: { id: 'traced-1' } }));
      const sampled = createHandler({ db: h.db, tableName: h.tableName, log: () => undefined, metrics: () => undefined, subsegments: emitter, env: { _X_AMZN_TRACE_ID: TRACE } });
      expect((await sampled(proxyEvent('POST', '/items', { body: { id: 'traced-1' } }))).statusCode).to.equal(409);
      await nextDatagram(1);
      // Datagrams on loopback arrive in order: the first one is the sampled request's.
      const doc = JSON.parse(received[0]!.split('\n')[1]!) as SubsegmentDocument;
      expect(doc).to.deep.include({ error: true, http: { response: { status: 400 } } });
      expect(doc.fault).to.equal(undefined);
      expect(received).to.have.length(1);
    });
  });

  describe('parseDaemonAddress', () => {
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-nodejs-configuration.html#xray-sdk-nodejs-configuration-envvars
    it('reads host:port and the UDP half of the two-protocol form', () => {
      expect(parseDaemonAddress('169.254.79.129:2000')).to.deep.equal({ host: '169.254.79.129', port: 2000 });
      expect(parseDaemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).to.deep.equal({ host: '127.0.0.2', port: 2001 });
      expect(parseDaemonAddress(undefined)).to.equal(undefined);
      expect(parseDaemonAddress('nonsense')).to.equal(undefined);
      expect(parseDaemonAddress('tcp:127.0.0.1:2000')).to.equal(undefined);
    });
  });
});
