/**
 * The VTL subset of mapping templates. Semantics from the Velocity 1.7 user guide
 * (https://velocity.apache.org/engine/1.7/user-guide.html: a null reference renders as its own
 * text, `$!ref` as nothing; #set/#if/#elseif/#else) and API Gateway's mapping template reference
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html:
 * `$input.params()` maps path, querystring and header; `$input.params(x)` searches them in that
 * order) and response overrides
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html).
 */
import { expect } from 'chai';
import { parseVelocity, VelocityError, type RequestParameters } from '../../cli/local/velocity.js';

const params = (header: Record<string, string> = {}, querystring: Record<string, string> = {}, path: Record<string, string> = {}): RequestParameters => ({
  header: new Map(Object.entries(header)),
  querystring: new Map(Object.entries(querystring)),
  path: new Map(Object.entries(path)),
});

/** The template the project's OPTIONS methods use (infra/cfn/template.yaml), for two origins. */
const PREFLIGHT =
  '#set($origin = $input.params().header.get("Origin"))' +
  '#if(!$origin)#set($origin = $input.params().header.get("origin"))#end' +
  '#set($allowed = ["https://a.test","http://b.test:8080"])' +
  '#if($allowed.contains($origin))#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end';

describe('cli/local/velocity', () => {
  describe('parseVelocity', () => {
    it('runs the preflight template: an origin of the list is set as the header override, output empty', () => {
      const t = parseVelocity(PREFLIGHT);
      expect(t.isStatic).to.equal(false);
      expect(t.render(params({ Origin: 'http://b.test:8080' }))).to.deep.equal({ output: '', headerOverrides: [['Access-Control-Allow-Origin', 'http://b.test:8080']] });
      expect(t.render(params({ origin: 'https://a.test' })).headerOverrides).to.deep.equal([['Access-Control-Allow-Origin', 'https://a.test']]);
      expect(t.render(params({ Origin: 'https://evil.test' })).headerOverrides).to.deep.equal([]);
      expect(t.render(params()).headerOverrides).to.deep.equal([]);
    });

    it('searches path, query string and header in that order for $input.params(name), "" when absent', () => {
      const t = parseVelocity("$input.params('x')|$input.params('missing')|");
      expect(t.render(params({ x: 'h' }, { x: 'q' }, { x: 'p' })).output).to.equal('p||');
      expect(t.render(params({ x: 'h' }, { x: 'q' })).output).to.equal('q||');
      expect(t.render(params({ x: 'h' })).output).to.equal('h||');
    });

    it('renders a null reference as its text and $!ref as nothing; keeps text and evaluates #elseif/#else', () => {
      const t = parseVelocity('a $nothing b $!nothing c #if($v == 1)one#elseif($v == 2)two#{else}other#end');
      expect(t.render(params()).output).to.equal('a $nothing b  c other');
      expect(parseVelocity('#set($v = 2)#if($v == 1)one#elseif($v == 2)two#else other#end').render(params()).output).to.equal('two');
      expect(parseVelocity("#set($s = 'x')#if($s != 'y' && !false || $none)yes#end").render(params()).output).to.equal('yes');
    });

    it('sets the status override and skips ## comments', () => {
      const r = parseVelocity('## a comment\n#set($context.responseOverride.status = 204)').render(params());
      expect(r).to.deep.equal({ output: '', headerOverrides: [], statusOverride: 204 });
    });

    it('knows a static template (text only)', () => {
      expect(parseVelocity('{"statusCode": 200}').isStatic).to.equal(true);
      expect(parseVelocity('{"statusCode": 200}').render(params()).output).to.equal('{"statusCode": 200}');
    });

    const refused: [string, RegExp][] = [
      ['#foreach($x in $list)$x#end', /line 1, column 1: #foreach is not emulated/],
      ['ok\n#if($a)', /line 2, column 1: #if without #end/],
      ['#end', /#end without #if/],
      ['#set($input.x = 1)', /#set of \$input\.x is not emulated/],
      ['#set($context.requestId = 1)', /#set of \$context\.requestId is not emulated/],
      ['#set($a = "$b")', /a reference or directive inside a "string" is not emulated/],
      ['#set($a = 1 + 2)', /expected "\)"/],
      ["#set($a = 'open)", /unterminated string/],
    ];
    for (const [source, message] of refused) {
      it(`refuses ${JSON.stringify(source)} when parsing, saying where`, () => {
        expect(() => parseVelocity(source)).to.throw(VelocityError, message);
      });
    }

    it('refuses a method it does not emulate when parsing, and one called on the wrong kind of value when rendering', () => {
      expect(() => parseVelocity("#set($a = 'x')$a.reverse()")).to.throw(VelocityError, /line 1, column 17: \.reverse\(\) is not emulated/);
      expect(() => parseVelocity('#set($a = 1)$a.isEmpty()').render(params())).to.throw(VelocityError, /\.isEmpty\(\) on number is not emulated/);
    });

    it('parses and renders a 1 MB template of text', () => {
      const big = 'x'.repeat(1_000_000);
      expect(parseVelocity(big).render(params()).output.length).to.equal(1_000_000);
    });
  });
});
