// The benchmarks' client resends what the API answers as retryable, as a real client does, and stops on
// anything else: a run must neither die on a definite "retry the batch" nor hide a real failure.
import { poster } from '../../../scripts/bench/funnel-run';

const problem = (status: number, retryable: boolean, retryAfter?: string) =>
  new Response(JSON.stringify({ type: 'x', status, retryable }), {
    status,
    headers: retryAfter ? { 'Retry-After': retryAfter } : {},
  });

function scripted(...answers: Response[]) {
  const sent: string[] = [];
  const send = (async (url: string | URL | Request) => {
    sent.push(String(url));
    const next = answers.shift();
    if (!next) throw new Error('no answer scripted');
    return next;
  }) as typeof fetch;
  return { send, sent };
}

describe('the benchmarks’ poster', () => {
  it('sends a retryable 409 again after its Retry-After, and counts the retry', async () => {
    const { send, sent } = scripted(
      problem(409, true, '2'),
      problem(503, true),
      new Response(JSON.stringify({ ok: 1 }), { status: 200 }),
    );
    const waits: number[] = [];
    let retries = 0;
    const post = poster(
      {},
      () => retries++,
      send,
      async (ms) => {
        waits.push(ms);
      },
    );
    await expect(post('http://api', '/campaigns/c/registrations', { items: [] })).resolves.toEqual({ ok: 1 });
    expect(sent).toHaveLength(3);
    expect(retries).toBe(2);
    expect(waits).toEqual([2000, 1000]);
  });

  it('stops at once on a 409 that is not retryable and on a 400', async () => {
    for (const answer of [problem(409, false), problem(400, false)]) {
      const { send, sent } = scripted(answer);
      let retries = 0;
      const post = poster(
        {},
        () => retries++,
        send,
        async () => undefined,
      );
      await expect(post('http://api', '/x', {})).rejects.toThrow(/POST \/x → (409|400)/);
      expect(sent).toHaveLength(1);
      expect(retries).toBe(0);
    }
  });

  it('gives up after twenty tries of a batch the API keeps refusing', async () => {
    const { send, sent } = scripted(...Array.from({ length: 25 }, () => problem(429, true)));
    const post = poster(
      {},
      () => undefined,
      send,
      async () => undefined,
    );
    await expect(post('http://api', '/x', {})).rejects.toThrow(/→ 429/);
    expect(sent).toHaveLength(20);
  });
});
