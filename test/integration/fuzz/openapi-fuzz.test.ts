// Fuzzes every operation of the API's own OpenAPI document (GET /openapi.json) with every malformed-input
// class of mutations.ts, as every role (real API keys) and without a key, against the real app, database
// and Temporal. For every answer: no 5xx and an answer at all; every 4xx is application/problem+json; a 400
// for a field names that field; an unknown field is refused, never silently dropped; and a refused request
// changes nothing — row counts of every table, the world's rows, the audit log and the campaign workflows.
//
// Seeded (FUZZ_SEED, default 1) and bounded: by default a seeded sample of FUZZ_PER_CLASS (2) fields per
// operation and class for the role that may call the operation, plus one mutation per class for every other
// role. FUZZ_LONG=1 sends every mutation as every role, for FUZZ_SEEDS (default 3) seeds. docs/testing.md.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from '../../../api/client-errors';
import { seededRandom } from '../../../simulator/random';
import { createTestContext, type TestContext } from '../../support/context';
import { keyedApp } from '../auth/keys';
import {
  bodyMutations,
  parameterMutations,
  requestMutations,
  type FuzzRequest,
  type Mutation,
} from './mutations';
import { operationsOf, type Operation, type Schema } from './openapi-walk';
import { rawClient, type RawClient, type RawResponse } from './raw-client';
import { stateProbe, type Snapshot, type StateProbe } from './state';
import { baselineBody, buildWorld, pathParams, ROLE_NAMES, type World } from './world';

const LONG = process.env.FUZZ_LONG === '1';
const SEEDS = LONG
  ? Array.from(
      { length: Number(process.env.FUZZ_SEEDS ?? 3) },
      (_, i) => Number(process.env.FUZZ_SEED ?? 1) + i,
    )
  : [Number(process.env.FUZZ_SEED ?? 1)];
const PER_CLASS = LONG ? Infinity : Number(process.env.FUZZ_PER_CLASS ?? 2);
const OTHER_ROLE_CLASSES = 4;
const ONLY = process.env.FUZZ_ONLY; // a substring of "METHOD /path" to fuzz one operation while debugging
type Caller = (typeof ROLE_NAMES)[number] | 'none';
const CALLERS: Caller[] = [...ROLE_NAMES, 'none'];

interface Failure {
  op: string;
  role: Caller;
  class: string;
  target: string;
  what: string;
  status: number;
  why: string;
}

let ctx: TestContext;
let server: http.Server;
let client: RawClient;
let doc: Schema;
let world: World;
let probe: StateProbe;
const failures: Failure[] = [];
let sent = 0;

// Steering the world campaign last keeps it acquiring (and ingest accepted) for everything before it;
// pause runs right before resume so that resume finds it paused.
const LAST = ['POST /campaigns/{id}/pause', 'POST /campaigns/{id}/resume'];
const opName = (op: Operation) => `${op.method} ${op.path}`;

beforeAll(async () => {
  ctx = await createTestContext({ worker: true });
  server = http.createServer(keyedApp(ctx));
  answerClientErrors(server); // as api/main.ts does: parser-level refusals (431) are problem+json too
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = rawClient((server.address() as AddressInfo).port);
  const res = await client.send({ method: 'GET', path: '/openapi.json', headers: {} });
  doc = res.json as Schema;
  world = await buildWorld(ctx.db, client);
  probe = await stateProbe(ctx.db, ctx.temporal, world);
  await settle(); // the world's own start-up (publishing, verification) is over before the first request
}, 180_000);

afterAll(async () => {
  if (failures.length > 0) process.stdout.write(`\n[fuzz] ${summary(failures).join('\n[fuzz] ')}\n`);
  process.stdout.write(`[fuzz] ${sent} requests, ${failures.length} failures, seeds ${SEEDS.join(',')}\n`);
  client?.close();
  await new Promise((resolve) => server?.close(resolve));
  await ctx?.stop();
});

/** One line per (operation, class, target, why), with how many requests and which roles and statuses. */
function summary(list: Failure[]): string[] {
  const groups = new Map<string, Failure[]>();
  for (const f of list) {
    const k = `${f.op} | ${f.class} | ${f.target} | ${f.why}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return [...groups.entries()].map(([k, fs]) => {
    const statuses = [...new Set(fs.map((f) => f.status))].join('/');
    const roles = [...new Set(fs.map((f) => f.role))].join(',');
    const whats = [...new Set(fs.map((f) => f.what))].slice(0, 3).join('; ');
    return `${k} | status ${statuses} | ${fs.length}× as ${roles} | e.g. ${whats}`;
  });
}

function serialize(op: Operation, req: FuzzRequest) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => req.pathParams[name] ?? 'x');
  const query = req.query.map(([n, v]) => `${n}=${v}`).join('&');
  const body = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
  return { method: req.method, path: query ? `${path}?${query}` : path, headers: req.headers, body };
}

function baseRequest(op: Operation, caller: Caller): FuzzRequest {
  const body = baselineBody(op, world);
  const headers: Record<string, string> = {};
  if (caller !== 'none') headers.Authorization = `Bearer ${world.keys[caller]}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // A header the operation requires (Idempotency-Key on cost corrections): a fresh value per request.
  for (const p of op.params.filter((x) => x.in === 'header' && x.required))
    headers[p.name] = `fz-${randomUUID()}`;
  // A write that must name the version it edits (PUT /contact-policy): '*', whatever version is current.
  if (op.params.some((p) => p.in === 'header' && p.name === 'If-Match' && p.required))
    headers['If-Match'] = '*';
  return { method: op.method, pathParams: pathParams(op, world), query: [], headers, body };
}

const allowed = (op: Operation, caller: Caller) =>
  op.roles === 'public' || (caller !== 'none' && op.roles.includes(caller));

const RELATIONAL = new Set(['date-out-of-range', 'extreme-number']);
const parentOf = (field: string) => field.split('.').slice(0, -1).join('.');

/** Does a 400 name the field (or something inside it), or, for an unknown key, name that key? */
interface NamedError {
  field: string;
  message: string;
}
const errorsOf = (list: unknown, prefix = ''): NamedError[] =>
  ((Array.isArray(list) ? list : []) as { field?: unknown; message?: unknown }[]).map((e) => {
    const field = String(e.field ?? '');
    return {
      field: prefix ? (field === '(item)' ? prefix : `${prefix}.${field}`) : field,
      message: String(e.message ?? ''),
    };
  });

interface BatchReply {
  summary: object;
  items: { index: number; status: string; errors?: unknown }[];
}
const isBatchReply = (json: unknown): json is BatchReply =>
  typeof json === 'object' && json !== null && 'summary' in json && Array.isArray((json as BatchReply).items);

/**
 * Ingest batches answer 200 with one result per item (docs/api/funnel.md): an item refused there is a
 * refusal too, and its errors (relative to the item) must name the field like a 400 would.
 */
function batchItem(res: RawResponse, m: Mutation | null) {
  const at = /^items\.(\d+)(?:\.|$)/.exec(m?.namesField ?? '');
  if (res.status >= 400 || !at || !isBatchReply(res.json)) return undefined;
  const item = res.json.items.find((i) => i.index === Number(at[1]));
  return item && { status: item.status, errors: errorsOf(item.errors, `items.${at[1]}`) };
}

/** Refused: a 4xx, or a batch whose every item was rejected. */
const refused = (res: RawResponse) =>
  res.status >= 400 || (isBatchReply(res.json) && res.json.items.every((i) => i.status === 'rejected'));

function namesField(errors: NamedError[], m: Mutation): boolean {
  const field = m.namesField!;
  return errors.some(
    (e) =>
      e.field === field ||
      e.field.startsWith(`${field}.`) ||
      (m.unions ?? []).some((u) => e.field === (u || '(body)')) ||
      // A value that is fine alone (a far date, a big number) can break a rule between fields: naming the
      // other field of the pair (registrationWindow.end must be after .start) is then the right answer.
      (RELATIONAL.has(m.class) && parentOf(e.field) === parentOf(field) && e.field !== '') ||
      // A far end of the registration window makes the window split into more cohorts than a campaign
      // may run: that rule is named on the granularity (domain/campaign-plan.ts), as the field to change.
      (RELATIONAL.has(m.class) &&
        field.endsWith('registrationWindow.end') &&
        e.field === field.replace(/registrationWindow\.end$/, 'cohortGranularity')) ||
      (m.unknownKey !== undefined &&
        (field.startsWith(`${e.field}.`) || e.field === '(body)') &&
        (e.message.includes(m.unknownKey) || e.field.endsWith(m.unknownKey))),
  );
}

/** The invariants of one answer; returns why it fails, or null. */
function verdict(op: Operation, caller: Caller, m: Mutation | null, res: RawResponse): string | null {
  if (res.status === -1) return null; // the client would not send it (not the server's business)
  if (res.status === 0) return `no answer (${res.error})`;
  if (res.status >= 500) return '5xx';
  if (!allowed(op, caller)) {
    if (res.status < 400) return `role ${caller} got ${res.status}`;
  }
  if (res.status >= 400) {
    if (!res.contentType.startsWith('application/problem+json'))
      return `4xx not problem+json (${res.contentType || 'no type'})`;
    if ((res.json as { status?: number })?.status !== res.status)
      return 'problem status differs from the HTTP status';
    if (
      res.status === 400 &&
      m?.namesField &&
      allowed(op, caller) &&
      !namesField(errorsOf((res.json as { errors?: unknown }).errors), m)
    ) {
      const named = ((res.json as { errors?: { field: string }[] }).errors ?? [])
        .map((e) => e.field)
        .join(',');
      return `400 does not name ${m.namesField} (names: ${named || 'nothing'})`;
    }
  } else if (m?.namesField && batchItem(res, m)?.status === 'rejected') {
    const item = batchItem(res, m)!;
    if (!namesField(item.errors, m)) {
      return `batch item rejected without naming ${m.namesField} (names: ${item.errors.map((e) => e.field).join(',') || 'nothing'})`;
    }
  } else if (m?.unknownKey && allowed(op, caller)) {
    return `unknown field accepted (${res.status})`;
  }
  return null;
}

/** Polls until two snapshots 300 ms apart are equal (background work from an accepted request done). */
async function settle(opts: { workflows?: boolean } = {}): Promise<Snapshot> {
  let last = await probe.snapshot(opts);
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const next = await probe.snapshot(opts);
    if (probe.diff(last, next).length === 0) return next;
    last = next;
  }
  return last;
}

async function fuzzOperation(op: Operation, seed: number): Promise<Failure[]> {
  const found: Failure[] = [];
  const random = seededRandom(
    seed * 7919 + [...opName(op)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0),
  );
  const pick = (n: number) => Math.floor(random() * n);
  const primary: Caller =
    op.roles === 'public' ? 'none' : ((op.roles.find((r) => r !== 'admin') ?? 'admin') as Caller);

  const template = baseRequest(op, primary);
  const all: Mutation[] = [
    ...(op.body ? bodyMutations(doc, op, template.body, pick) : []),
    ...parameterMutations(op),
    ...requestMutations(op),
  ];
  const byClass = new Map<string, Mutation[]>();
  for (const m of all) byClass.set(m.class, [...(byClass.get(m.class) ?? []), m]);
  const sample = (list: Mutation[], n: number) => {
    const pool = [...list];
    const out: Mutation[] = [];
    while (pool.length > 0 && out.length < n) out.push(pool.splice(pick(pool.length), 1)[0]!);
    return out;
  };
  const sample2 = <T>(list: T[], n: number) => {
    const pool = [...list];
    const out: T[] = [];
    while (pool.length > 0 && out.length < n) out.push(pool.splice(pick(pool.length), 1)[0]!);
    return out;
  };
  const plan: [Caller, Mutation | null][] = [[primary, null]];
  for (const list of byClass.values()) for (const m of sample(list, PER_CLASS)) plan.push([primary, m]);
  // Every other caller: the baseline and, if it may not call the operation, one mutation of every class
  // (refused at the gate, whatever it holds); if it may (admin beside the primary role), of a few classes
  // only by default — the same handler already met every class from the primary role.
  const classes = [...byClass.values()];
  for (const caller of CALLERS.filter((c) => c !== primary)) {
    plan.push([caller, null]);
    const lists = LONG || !allowed(op, caller) ? classes : sample2(classes, OTHER_ROLE_CLASSES);
    for (const list of lists) for (const m of sample(list, LONG ? Infinity : 1)) plan.push([caller, m]);
  }

  // Callers whose role may not call the operation must all be refused: their requests go in one batch
  // between two snapshots, and are sent one by one with snapshots of their own only if the batch changed
  // something. Every other request gets its own before and after.
  const denied = plan.filter(([caller]) => !allowed(op, caller));
  const rest = plan.filter(([caller]) => allowed(op, caller));

  const send = async (caller: Caller, m: Mutation | null) => {
    const req = serialize(op, m ? m.apply(baseRequest(op, caller)) : baseRequest(op, caller));
    const res = await client.send(req);
    sent++;
    const fail = (why: string) =>
      found.push({
        op: opName(op),
        role: caller,
        class: m?.class ?? 'baseline',
        target: m?.target ?? '-',
        what: m?.what ?? 'the valid request',
        status: res.status,
        why,
      });
    const why = verdict(op, caller, m, res);
    if (why) fail(why);
    if (!m && caller === primary && res.status >= 400 && res.status !== 409) {
      fail(`baseline refused: ${res.text.slice(0, 200)}`);
    }
    return { req, res, fail };
  };
  /** After a refused request changed something: settle (background work of an earlier accepted request is
   * not this request's doing), send the same request again, and report what it changes then. */
  const recheck = async (req: ReturnType<typeof serialize>, fail: (why: string) => void) => {
    const calm = await settle(opts);
    const again = await client.send(req);
    sent++;
    const changed = probe.diff(calm, await probe.snapshot(opts));
    if (refused(again) && changed.length > 0) fail(`refused request changed state: ${changed.join(', ')}`);
  };

  // Only campaign operations can reach the world's workflows: the others compare the workflows once, from
  // the operation's start to its end, where any change at all is a failure.
  const reachesWorkflows = op.path.startsWith('/campaigns/{id}');
  const opts = { workflows: reachesWorkflows };
  const first = await probe.snapshot();
  let before = first;
  for (const [caller, m] of rest) {
    const { req, res, fail } = await send(caller, m);
    if (!refused(res) && op.method !== 'GET') {
      // Accepted: wait for its background work (a campaign publishing, a workflow steering) to finish,
      // so that the next refused request is measured against a still system.
      before = await settle(opts);
      continue;
    }
    const after = await probe.snapshot(opts);
    if (refused(res) && probe.diff(before, after).length > 0) {
      await recheck(req, fail);
      before = await probe.snapshot(opts);
    } else before = after;
  }
  const batch = [];
  for (const [caller, m] of denied) batch.push(await send(caller, m));
  if (probe.diff(before, await probe.snapshot(opts)).length > 0) {
    for (const { req, res, fail } of batch) if (res.status >= 400) await recheck(req, fail);
  }
  if (!reachesWorkflows) {
    const last = await probe.snapshot();
    const changed = probe.diff(first, last).filter((d) => d.startsWith('workflow:'));
    if (changed.length > 0) {
      found.push({
        op: opName(op),
        role: primary,
        class: '(operation)',
        target: '-',
        what: 'all its requests',
        status: 0,
        why: `changed a campaign workflow it cannot reach: ${changed.join(', ')}`,
      });
    }
  }
  return found;
}

const operations = () => {
  const ops = operationsOf(doc).filter((op) => !ONLY || opName(op).includes(ONLY));
  const rank = (op: Operation) => LAST.indexOf(opName(op));
  return [...ops].sort((a, b) => rank(a) - rank(b));
};

describe('OpenAPI fuzz: every operation, every malformed-input class, every role', () => {
  it('walks every documented operation', () => {
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(operationsOf(doc).length).toBeGreaterThan(40);
  });

  for (const seed of SEEDS) {
    it(
      `seed ${seed}: no 5xx, problem+json naming the field, no state change from a refused request`,
      async () => {
        const found: Failure[] = [];
        const started = Date.now();
        for (const op of operations()) {
          const t = Date.now();
          const f = await fuzzOperation(op, seed);
          found.push(...f);
          if (process.env.FUZZ_VERBOSE)
            process.stdout.write(`[fuzz] ${opName(op)} ${Date.now() - t} ms, ${f.length} failures\n`);
        }
        failures.push(...found);
        process.stdout.write(`[fuzz] seed ${seed}: ${sent} requests in ${Date.now() - started} ms\n`);
        expect(summary(found)).toEqual([]);
      },
      LONG ? 3_600_000 : 600_000,
    );
  }
});
