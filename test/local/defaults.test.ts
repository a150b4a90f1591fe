import { expect } from 'chai';
import { isLoopbackEndpoint } from '../../cli/local/defaults.js';

describe('cli/local/defaults', () => {
  describe('isLoopbackEndpoint', () => {
    const cases: [string, boolean][] = [
      ['http://127.0.0.1:8000', true],
      ['http://127.4.5.6:8000', true],
      ['http://localhost:8000', true],
      ['http://LOCALHOST:8000/', true],
      ['http://dynamo.localhost:8000', true],
      ['http://[::1]:8000', true],
      ['https://dynamodb.eu-west-1.amazonaws.com', false],
      ['http://10.0.0.5:8000', false],
      ['http://dynamodb-local:8000', false],
      ['http://127.0.0.1.example.com:8000', false],
      ['http://[::ffff:10.0.0.1]:8000', false],
      ['HTTP://API.LOCALHOST:3000/prod', true],
      ['http://localhost.example.com:3000', false],
    ];
    for (const [endpoint, loopback] of cases) {
      it(`${loopback ? 'is' : 'is not'} loopback: ${endpoint}`, () => expect(isLoopbackEndpoint(endpoint)).to.equal(loopback));
    }
  });
});
