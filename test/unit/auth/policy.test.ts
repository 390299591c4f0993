// The access policy table: how a request finds its entry (the most specific pattern), and the
// invariants the table keeps (admin everywhere, one entry per route, channel scopes on ingest only).
import { allows, POLICY, resolvePolicy } from '../../../api/auth/policy';
import { ROLES } from '../../../api/auth/principal';

describe('resolvePolicy', () => {
  it('matches Express patterns and returns the route parameters, decoded', () => {
    expect(resolvePolicy('GET', '/campaigns/c-1/customers/cust%2042/journey')).toEqual({
      entry: expect.objectContaining({ path: '/campaigns/:id/customers/:customerRef/journey' }),
      params: { id: 'c-1', customerRef: 'cust 42' },
    });
  });

  it('prefers a literal segment over a parameter, whatever the table order', () => {
    expect(resolvePolicy('POST', '/channels/web/profiles/internal')?.entry.path).toBe(
      '/channels/:code/profiles/internal',
    );
    expect(resolvePolicy('GET', '/channels/web/profiles/3')?.entry.path).toBe(
      '/channels/:code/profiles/:version',
    );
    expect(resolvePolicy('GET', '/campaigns/c-1/evaluation/channels.csv')?.entry.path).toBe(
      '/campaigns/:id/evaluation/channels.csv',
    );
  });

  it('distinguishes methods, checks HEAD as GET, and ignores one trailing slash and letter case', () => {
    expect(resolvePolicy('POST', '/campaigns')?.entry.allow).toEqual(['marketer', 'admin']);
    expect(resolvePolicy('GET', '/campaigns')?.entry.allow).toEqual(['marketer', 'ops', 'admin']);
    expect(resolvePolicy('HEAD', '/campaigns/c-1')?.entry.path).toBe('/campaigns/:id');
    expect(resolvePolicy('get', '/Campaigns/c-1/')?.entry.path).toBe('/campaigns/:id');
  });

  it('covers everything below a prefix entry (the console files), and nothing beside it', () => {
    expect(resolvePolicy('GET', '/console/js/app.js')?.entry).toMatchObject({
      path: '/console',
      allow: 'public',
    });
    expect(resolvePolicy('GET', '/console')?.entry.path).toBe('/console');
    expect(resolvePolicy('GET', '/consoles')).toBeNull();
    expect(resolvePolicy('POST', '/console/x')).toBeNull();
  });

  it('denies by default: unknown paths, unknown methods and malformed parameters match nothing', () => {
    expect(resolvePolicy('GET', '/secrets')).toBeNull();
    expect(resolvePolicy('DELETE', '/campaigns/c-1')).toBeNull();
    expect(resolvePolicy('OPTIONS', '/campaigns')).toBeNull();
    expect(resolvePolicy('GET', '/campaigns//funnel')).toBeNull();
    expect(resolvePolicy('GET', '/campaigns/%E0%A4%A/funnel')).toBeNull();
    expect(resolvePolicy('GET', '/campaigns/c-1/funnel/extra')).toBeNull();
  });
});

describe('the policy table', () => {
  it('has one entry per method and pattern', () => {
    const keys = POLICY.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lets admin do everything that is not public', () => {
    for (const entry of POLICY) expect(allows(entry, 'admin')).toBe(true);
  });

  it('gives channel systems the three ingest routes, each scoped to its channels, the channel brief, consent for its own channels and who am I', () => {
    const granted = POLICY.filter((e) => e.allow !== 'public' && e.allow.includes('channel-system'));
    expect(granted.map((e) => [e.method, e.path, e.channelScope])).toEqual([
      ['POST', '/campaigns/:id/registrations', 'registrations'],
      ['POST', '/campaigns/:id/events', 'events'],
      ['POST', '/campaigns/:id/delivery-reports', 'delivery-reports'],
      // The one read: filtered to the key's own channels by the handler (api/funnel/channel-brief.ts).
      ['GET', '/campaigns/:id/channel-brief', undefined],
      // Scoped by the handler, which refuses (403, naming channelCode) consent for another channel or for all.
      ['POST', '/customers/:ref/consent', undefined],
      ['GET', '/me', undefined],
    ]);
  });

  it('keeps key management to admins', () => {
    const keyRoutes = POLICY.filter((e) => e.path.startsWith('/api-keys'));
    expect(keyRoutes).toHaveLength(3);
    for (const entry of keyRoutes) expect(entry.allow).toEqual(['admin']);
  });

  it('names only known roles, and public entries are reads', () => {
    for (const entry of POLICY) {
      if (entry.allow === 'public') expect(entry.method).toBe('GET');
      else for (const role of entry.allow) expect(ROLES).toContain(role);
    }
  });
});
