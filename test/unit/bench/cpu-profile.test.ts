import { partOf, summarizeProfile, type CpuProfile } from '../../../scripts/bench/cpu-profile';

describe('CPU profile summary', () => {
  it('names the part of the program a frame belongs to', () => {
    expect(partOf('file:///w/node_modules/zod/v4/core/schemas.js', 'parse')).toBe('zod');
    expect(partOf('file:///w/node_modules/@prisma/client/runtime/client.js', 'request')).toBe(
      '@prisma/client',
    );
    expect(partOf('file:///w/funnel/ingest/registration-decision.ts', 'decide')).toBe('project funnel/');
    expect(partOf('node:internal/streams/readable', 'read')).toBe('node:internal');
    expect(partOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(partOf('', 'writev')).toBe('(native) writev');
  });

  it('sums self time per part and per function from the samples and their deltas', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        { id: 2, callFrame: frame('parse', 'file:///w/node_modules/zod/index.js') },
        { id: 3, callFrame: frame('(idle)', '') },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [1000, 2000, 6000, 1000],
      startTime: 0,
      endTime: 10_000,
    };
    const summary = summarizeProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.parts).toEqual([
      { part: '(idle)', ms: 6, share: 0.6 },
      { part: 'zod', ms: 4, share: 0.4 },
    ]);
    expect(summary.functions[1]).toEqual({ name: 'parse zod/index.js:1', part: 'zod', ms: 4 });
  });
});
