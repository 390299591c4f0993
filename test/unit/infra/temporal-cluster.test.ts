import { MAX_CLUSTER_PORT, portsFrom, renderClusterConfig } from '../../../infra/temporal-cluster';

const db = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: 'p"w',
  database: 'temporal_a',
  visibilityDatabase: 'temporal_visibility_a',
};
const input = { db, ports: portsFrom(7433), numHistoryShards: 4, maxConns: 8, logLevel: 'warn' as const };

/** The lines of one top-level service block (`  frontend:` up to the next service). */
function serviceBlock(config: string, name: string): string {
  const match = new RegExp(`\\n  ${name}:\\n((?:    .*\\n|      .*\\n)+)`).exec(config);
  if (!match) throw new Error(`no ${name} block`);
  return match[1] as string;
}

describe('Temporal cluster config', () => {
  it('puts each service on its own ports, the frontend also on its HTTP port', () => {
    const config = renderClusterConfig(input);
    expect(serviceBlock(config, 'frontend')).toContain('grpcPort: 7433\n');
    expect(serviceBlock(config, 'frontend')).toContain('httpPort: 7443\n');
    expect(serviceBlock(config, 'frontend')).toContain('membershipPort: 7133\n');
    expect(serviceBlock(config, 'history')).toContain('grpcPort: 7434\n');
    expect(serviceBlock(config, 'matching')).toContain('grpcPort: 7435\n');
    expect(serviceBlock(config, 'worker')).toContain('grpcPort: 7439\n');
    expect(serviceBlock(config, 'worker')).not.toContain('httpPort');
    // The cluster's own address is the frontend's, so its internal clients never reach another server.
    expect(config).toContain('rpcAddress: "127.0.0.1:7433"');
  });

  it('points persistence and visibility at their databases through the postgres12 plugin', () => {
    const config = renderClusterConfig(input);
    expect(config).toContain('numHistoryShards: 4\n');
    expect(config.match(/pluginName: "postgres12"/g)).toHaveLength(2);
    expect(config).toContain('databaseName: "temporal_a"');
    expect(config).toContain('databaseName: "temporal_visibility_a"');
    // Quoted as YAML (JSON strings are YAML), so a password with a quote stays one value.
    expect(config).toContain('password: "p\\"w"');
    expect(config).toContain('maxConns: 8\n');
  });

  it('refuses ports Temporal cannot record and a shard count that is not a positive integer', () => {
    // cluster_membership.rpc_port is a SMALLINT: an ephemeral port fails every membership heartbeat.
    expect(() =>
      renderClusterConfig({ ...input, ports: { ...input.ports, historyMembership: MAX_CLUSTER_PORT + 1 } }),
    ).toThrow(/historyMembership port 32768/);
    expect(() => renderClusterConfig({ ...input, numHistoryShards: 0 })).toThrow(/numHistoryShards/);
    expect(() => renderClusterConfig({ ...input, numHistoryShards: 2.5 })).toThrow(/numHistoryShards/);
  });
});
