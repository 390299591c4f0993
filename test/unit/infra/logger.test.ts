// The logger's contract with whoever reads the logs: one JSON object per line with time, level,
// component and msg; child fields carried; levels below the threshold dropped; credentials and a
// customer's personal data never written, even nested.
import { Writable } from 'node:stream';
import { createLogger } from '../../../infra/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes time, level, component, msg and the fields, child fields included', () => {
    const { lines, destination } = capture();
    const log = createLogger('api', 'info', {}, { destination }).child({ requestId: 'r-1' });
    log.info('request', { method: 'GET', status: 200 });
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'info',
      component: 'api',
      msg: 'request',
      requestId: 'r-1',
      method: 'GET',
      status: 200,
    });
    expect(new Date(String(line!.time)).toISOString()).toBe(line!.time);
  });

  it('drops lines below its level and keeps those at or above it', () => {
    const { lines, destination } = capture();
    const log = createLogger('worker', 'warn', {}, { destination });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it('never writes a credential or a customer reference, at the top or one level down', () => {
    const { lines, destination } = capture();
    const log = createLogger('api', 'info', {}, { destination });
    log.warn('refused', {
      authorization: 'Bearer sk_live_abc',
      customerRef: 'CUST-0001',
      body: { phone: '13800000000', apiKey: 'sk_live_def', channelCode: 'wechat' },
    });
    const text = JSON.stringify(lines);
    for (const secret of ['sk_live_abc', 'CUST-0001', '13800000000', 'sk_live_def']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      authorization: '[redacted]',
      customerRef: '[redacted]',
      body: { phone: '[redacted]', apiKey: '[redacted]', channelCode: 'wechat' },
    });
  });
});
