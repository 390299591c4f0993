// `npm run traffic -- --campaign ID --rate N --seed S [--api URL] [--key KEY] [--simulator URL] [--max N]
// [--minutes M] [--bad-share X] [--acquisition-only] [--allow-non-loopback]`: the prospect traffic generator
// as its own process (docs/traffic-generator.md). The key comes from --key or TRAFFIC_API_KEY. Logs one
// line per notable thing to stderr and prints the summary as JSON on stdout; Ctrl-C stops it cleanly.
import { parseArgs } from 'node:util';
import { startTraffic, type TrafficOptions } from './generator';

const USAGE =
  'usage: npm run traffic -- --campaign ID --rate N --seed S [--api URL] [--key KEY] [--simulator URL] ' +
  '[--max N] [--minutes M] [--bad-share X] [--acquisition-only] [--allow-non-loopback]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) fail(`--${name} must be a number, got "${text}"`);
  return value;
}

export function optionsFromArgs(argv: string[], env: NodeJS.ProcessEnv): TrafficOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      campaign: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      api: { type: 'string' },
      key: { type: 'string' },
      simulator: { type: 'string' },
      max: { type: 'string' },
      minutes: { type: 'string' },
      'bad-share': { type: 'string' },
      'acquisition-only': { type: 'boolean' },
      'allow-non-loopback': { type: 'boolean' },
    },
    strict: true,
  });
  const campaignId = values.campaign ?? fail('--campaign is required');
  const rate = number('rate', values.rate) ?? fail('--rate is required');
  const seed = number('seed', values.seed) ?? fail('--seed is required');
  const apiKey =
    values.key ?? env.TRAFFIC_API_KEY ?? fail('give a channel-system key: --key or TRAFFIC_API_KEY');
  const minutes = number('minutes', values.minutes);
  const maxProspects = number('max', values.max);
  const badShare = number('bad-share', values['bad-share']);
  return {
    apiUrl: values.api ?? env.TRAFFIC_API_URL ?? `http://127.0.0.1:${env.API_PORT || 3000}`,
    apiKey,
    campaignId,
    seed,
    rate,
    simulatorUrl: values.simulator ?? env.SIMULATOR_URL ?? `http://127.0.0.1:${env.SIMULATOR_PORT || 4100}`,
    ...(maxProspects === undefined ? {} : { maxProspects }),
    ...(minutes === undefined ? {} : { maxDurationMs: Math.round(minutes * 60_000) }),
    ...(badShare === undefined ? {} : { badShare }),
    ...(values['acquisition-only'] ? { newCustomerPeriod: false } : {}),
    allowNonLoopback: values['allow-non-loopback'] === true,
  };
}

async function main(): Promise<void> {
  let options: TrafficOptions;
  try {
    options = optionsFromArgs(process.argv.slice(2), process.env);
  } catch (err) {
    fail(String((err as Error).message));
  }
  const log = (line: string) => process.stderr.write(`[traffic] ${new Date().toISOString()} ${line}\n`);
  const traffic = startTraffic({ ...options, log });
  const stop = () => {
    log('stopping');
    void traffic.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const summary = await traffic.done;
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[traffic] failed: ${String((err as Error)?.message ?? err)}\n`);
    process.exit(1);
  });
}
