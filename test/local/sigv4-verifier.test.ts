/**
 * cli/local/sigv4-verifier.ts, table-driven: AWS's own SigV4 examples, requests signed by
 * @smithy/signature-v4 (the AWS SDK's signer) in both forms, and API Gateway's refusals.
 *
 * Sources of the expected values:
 * - "get-vanilla" of AWS's SigV4 test suite (aws-sig-v4-test-suite, the vectors every SDK runs)
 *   and the ListUsers example of the IAM User Guide's signing walkthrough, both with the documented
 *   example key AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY.
 * - execute-api's mismatch text, recorded from AWS: "The request signature we calculated does not
 *   match ... Consult the service documentation for details.\n\nThe Canonical String for this
 *   request should have been\n'POST\n/live/api/...'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n...'\n"
 *   (an API Gateway answer quoted verbatim in the README of the public AWS_SigningVer4_C_Sharp project).
 * - the expiry text "Signature expired: 20170517T062414Z is now earlier than 20170517T062840Z
 *   (20170517T063340Z - 5 min.)" with InvalidSignatureException, and the other messages and
 *   error types: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
 * - "Authorization header requires 'Credential' parameter. ... Authorization=<header>": the
 *   IncompleteSignatureException API Gateway answers to a non-SigV4 Authorization header, as
 *   public clients quote its 403 body verbatim in their retry rules and tests
 *   (`{"message":"Authorization header requires 'Credential' parameter. ... Authorization=Bearer"}`).
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import { Sha256 } from '../../cli/aws/sha256.js';
import { canonicalQuery, canonicalUri, verifySigV4, type KnownCredential, type SigV4Request, type VerifyOptions } from '../../cli/local/sigv4-verifier.js';

const EXAMPLE: KnownCredential = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  principal: { accountId: '123456789012', caller: 'AIDAEXAMPLE', user: 'AIDAEXAMPLE', userArn: 'arn:aws:iam::123456789012:user/example' },
};
const SIGNED_AT = Date.UTC(2015, 7, 30, 12, 36, 0);
const options = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
  region: 'us-east-1',
  service: 'execute-api',
  now: SIGNED_AT,
  lookup: (id) => (id === EXAMPLE.accessKeyId ? EXAMPLE : undefined),
  ...over,
});
const request = (rawUrl: string, headers: string[], method = 'GET', body = ''): SigV4Request => ({ method, rawUrl, rawHeaders: headers, body: Buffer.from(body) });

/** A request as fetch would send it, signed by the SDK's signer (header form, or presigned). */
async function smithySigned(init: { method: string; path: string; query?: Record<string, string>; body?: string; headers?: Record<string, string> }, presign = false): Promise<SigV4Request> {
  const signer = new SignatureV4({ credentials: EXAMPLE, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const http = { method: init.method, protocol: 'https:', hostname: 'abc.execute-api.us-east-1.amazonaws.com', path: init.path, query: init.query ?? {}, headers: { host: 'abc.execute-api.us-east-1.amazonaws.com', ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) };
  const signed = presign ? await signer.presign(http, { signingDate: new Date(SIGNED_AT), expiresIn: 300 }) : await signer.sign(http, { signingDate: new Date(SIGNED_AT) });
  const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return request(`${init.path}${query ? `?${query}` : ''}`, Object.entries(signed.headers).flat(), init.method, init.body ?? '');
}

describe('cli/local/sigv4-verifier', () => {
  describe('verifySigV4', () => {
    it("accepts AWS's get-vanilla test vector", () => {
      const verdict = verifySigV4(
        request('/', [
          'Host', 'example.amazonaws.com',
          'X-Amz-Date', '20150830T123600Z',
          'Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        ]),
        options({ service: 'service' }),
      );
      expect(verdict).to.deep.equal({ ok: true, accessKeyId: 'AKIDEXAMPLE', principal: EXAMPLE.principal });
    });

    it("accepts the IAM User Guide's ListUsers example (query string, content-type signed)", () => {
      const verdict = verifySigV4(
        request('/?Action=ListUsers&Version=2010-05-08', [
          'Host', 'iam.amazonaws.com',
          'Content-Type', 'application/x-www-form-urlencoded; charset=utf-8',
          'X-Amz-Date', '20150830T123600Z',
          'Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
        ]),
        options({ service: 'iam' }),
      );
      expect(verdict.ok).to.equal(true);
    });

    const smithyCases: { name: string; init: Parameters<typeof smithySigned>[0] }[] = [
      { name: 'a POST with a JSON body', init: { method: 'POST', path: '/prod/DynamoDBManager', body: '{"operation":"ping"}', headers: { 'content-type': 'application/json' } } },
      { name: 'a GET with query parameters to sort and encode', init: { method: 'GET', path: '/prod/items', query: { z: '1', a: 'two words', 'k~': 'x/y' } } },
      { name: 'a path with an encoded segment', init: { method: 'DELETE', path: '/prod/items/a%20b' } },
      { name: 'a body with non-ASCII text', init: { method: 'PUT', path: '/prod/items/1', body: '{"name":"Zoë ☃"}' } },
    ];
    for (const c of smithyCases) {
      it(`accepts ${c.name} signed by @smithy/signature-v4, in the header and as a presigned URL`, async () => {
        expect(verifySigV4(await smithySigned(c.init), options()).ok, 'header').to.equal(true);
        expect(verifySigV4(await smithySigned(c.init, true), options()).ok, 'presigned').to.equal(true);
      });
    }

    it('refuses an unsigned request as Missing Authentication Token', () => {
      expect(verifySigV4(request('/prod/items', ['Host', 'h']), options())).to.deep.equal({
        ok: false,
        refusal: 'missing',
        message: 'Missing Authentication Token',
        errorType: 'MissingAuthenticationTokenException',
      });
    });

    it('refuses a wrong secret with the canonical request and string to sign, in AWS\'s words', async () => {
      const signed = await smithySigned({ method: 'POST', path: '/prod/DynamoDBManager', body: '{}' });
      const verdict = verifySigV4(signed, options({ lookup: () => ({ ...EXAMPLE, secretAccessKey: 'other' }) }));
      expect(verdict.ok).to.equal(false);
      if (verdict.ok) return;
      expect(verdict.errorType).to.equal('InvalidSignatureException');
      expect(verdict.message).to.equal(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
          `\n\nThe Canonical String for this request should have been\n'${verdict.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${verdict.stringToSign}'\n`,
      );
      expect(verdict.canonicalRequest).to.match(/^POST\n\/prod\/DynamoDBManager\n\nhost:abc\.execute-api\.us-east-1\.amazonaws\.com\nx-amz-content-sha256:[0-9a-f]{64}\nx-amz-date:20150830T123600Z\n\nhost;x-amz-content-sha256;x-amz-date\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a$/);
      expect(verdict.stringToSign).to.match(/^AWS4-HMAC-SHA256\n20150830T123600Z\n20150830\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}$/);
    });

    const refusals: { name: string; at?: number; over?: Partial<VerifyOptions>; tamper?: (r: SigV4Request) => SigV4Request; message: string | RegExp; errorType: string }[] = [
      { name: 'a date more than 5 minutes old', at: SIGNED_AT + 5 * 60_000 + 1000, message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)', errorType: 'InvalidSignatureException' },
      { name: 'a date more than 5 minutes ahead', at: SIGNED_AT - 5 * 60_000 - 1000, message: 'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)', errorType: 'InvalidSignatureException' },
      { name: 'an unknown access key', over: { lookup: () => undefined }, message: 'The security token included in the request is invalid.', errorType: 'AccessDeniedException' },
      { name: 'another region', over: { region: 'eu-west-1' }, message: "Credential should be scoped to a valid region, not 'us-east-1'. ", errorType: 'InvalidSignatureException' },
      { name: 'another service', over: { service: 'lambda' }, message: "Credential should be scoped to correct service: 'lambda'. ", errorType: 'InvalidSignatureException' },
      {
        name: 'a bearer token instead of a signature',
        tamper: (r) => ({ ...r, rawHeaders: ['Host', 'h', 'Authorization', 'Bearer abc'] }),
        message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc",
        errorType: 'IncompleteSignatureException',
      },
      {
        name: 'a session token the local keys do not have',
        tamper: (r) => ({ ...r, rawHeaders: [...r.rawHeaders, 'X-Amz-Security-Token', 'FwoGZXIvYXdzE'] }),
        message: 'The security token included in the request is invalid.',
        errorType: 'AccessDeniedException',
      },
      { name: 'a changed body', tamper: (r) => ({ ...r, body: Buffer.from('{"operation":"delete"}') }), message: /^The request signature we calculated does not match/, errorType: 'InvalidSignatureException' },
      { name: 'a changed path', tamper: (r) => ({ ...r, rawUrl: '/prod/items' }), message: /^The request signature we calculated does not match/, errorType: 'InvalidSignatureException' },
    ];
    for (const c of refusals) {
      it(`refuses ${c.name}`, async () => {
        const signed = await smithySigned({ method: 'POST', path: '/prod/DynamoDBManager', body: '{"operation":"ping"}' });
        const verdict = verifySigV4(c.tamper ? c.tamper(signed) : signed, options({ ...(c.at !== undefined ? { now: c.at } : {}), ...c.over }));
        expect(verdict.ok).to.equal(false);
        if (verdict.ok) return;
        if (typeof c.message === 'string') expect(verdict.message).to.equal(c.message);
        else expect(verdict.message).to.match(c.message);
        expect(verdict.errorType).to.equal(c.errorType);
      });
    }

    it('is linear in the request: a 1 MB query string and 10,000 headers are verified, not hung on', () => {
      const big = request(`/p?${'a=1&'.repeat(250_000)}`, Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? `x-h${i}` : 'v')));
      expect(verifySigV4(big, options()).ok).to.equal(false);
    });
  });

  describe('canonicalUri and canonicalQuery', () => {
    const uris: [string, string][] = [
      ['/', '/'],
      ['/prod/items/a%20b', '/prod/items/a%2520b'],
      ['/prod/./items/../items/', '/prod/items/'],
      ['//prod//items', '/prod/items'],
    ];
    for (const [raw, canonical] of uris) it(`${raw} -> ${canonical}`, () => expect(canonicalUri(raw)).to.equal(canonical));

    it('sorts by name then value, encodes RFC 3986 style and leaves out X-Amz-Signature', () => {
      expect(canonicalQuery('b=2&a=z&a=y&c=two%20words&d=%7E~&X-Amz-Signature=ab&e')).to.equal('a=y&a=z&b=2&c=two%20words&d=~~&e=');
    });
  });
});
