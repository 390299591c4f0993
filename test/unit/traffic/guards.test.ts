// The generator's guards: it never sends to a non-loopback address unless told to (refused before any
// request), and bad options are refused with the field and the reason. The CLI maps flags to options.
import { startTraffic, TrafficOptionsError, type TrafficOptions } from '../../../traffic/generator';
import { isLoopbackUrl, NonLoopbackError } from '../../../traffic/http';
import { optionsFromArgs } from '../../../traffic/main';

const base: TrafficOptions = {
  apiUrl: 'http://127.0.0.1:3000',
  apiKey: 'ck_test',
  campaignId: '4a1c2b3d-0000-4000-8000-000000000001',
  seed: 1,
  rate: 5,
  simulatorUrl: 'http://localhost:4100',
};

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:3000', true],
    ['http://127.8.9.10', true],
    ['http://localhost:3000', true],
    ['http://[::1]:3000', true],
    ['http://10.0.0.5:3000', false],
    ['http://192.168.1.2', false],
    ['http://172.16.0.1', false],
    ['https://api.bank.example', false],
    ['http://128.0.0.1', false],
    ['http://127.0.0.1.nip.io', false],
    ['not a url', false],
  ])('%s → %s', (url, loopback) => expect(isLoopbackUrl(url)).toBe(loopback));
});

describe('startTraffic', () => {
  const fetchSpy = jest.spyOn(globalThis, 'fetch');
  afterEach(() => fetchSpy.mockClear());
  afterAll(() => fetchSpy.mockRestore());

  it.each([
    ['apiUrl', { apiUrl: 'http://10.1.2.3:3000' }],
    ['simulatorUrl', { simulatorUrl: 'http://192.168.0.10:4100' }],
  ])('refuses a non-loopback %s before sending anything', (field, override) => {
    expect(() => startTraffic({ ...base, ...override })).toThrow(NonLoopbackError);
    expect(() => startTraffic({ ...base, ...override })).toThrow(new RegExp(field));
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('names every bad option', () => {
    const start = () => startTraffic({ ...base, rate: 0, seed: 1.5, badShare: 2, maxProspects: -1 });
    expect(start).toThrow(TrafficOptionsError);
    expect(start).toThrow(/rate 0 must be above 0/);
    expect(start).toThrow(/seed 1.5 must be an integer/);
    expect(start).toThrow(/badShare 2 must be between 0 and 1/);
    expect(start).toThrow(/maxProspects -1/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('the CLI', () => {
  it('maps flags to options, with the key from TRAFFIC_API_KEY', () => {
    const options = optionsFromArgs(
      [
        '--campaign',
        'c-1',
        '--rate',
        '12.5',
        '--seed',
        '7',
        '--max',
        '500',
        '--minutes',
        '2',
        '--bad-share',
        '0.1',
      ],
      { TRAFFIC_API_KEY: 'ck_env', API_PORT: '3100', SIMULATOR_PORT: '4200' },
    );
    expect(options).toEqual({
      apiUrl: 'http://127.0.0.1:3100',
      apiKey: 'ck_env',
      campaignId: 'c-1',
      seed: 7,
      rate: 12.5,
      simulatorUrl: 'http://127.0.0.1:4200',
      maxProspects: 500,
      maxDurationMs: 120_000,
      badShare: 0.1,
      allowNonLoopback: false,
    });
    expect(
      optionsFromArgs(
        ['--campaign', 'c', '--rate', '1', '--seed', '1', '--key', 'ck_flag', '--api', 'http://localhost:9'],
        {
          TRAFFIC_API_KEY: 'ck_env',
        },
      ),
    ).toMatchObject({ apiKey: 'ck_flag', apiUrl: 'http://localhost:9' });
  });
});
