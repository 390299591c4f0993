// Applies the committed migrations (prisma/migrations) with `prisma migrate deploy`.
// Never `db push`: every schema change is a reviewed migration file.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../config';

export function migrateDeploy(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(projectRoot, 'scripts', 'prisma.cjs'), 'migrate', 'deploy'],
      {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        const applied = /(\d+) migrations? found/.exec(output);
        log(`Database migrations applied${applied ? ` (${applied[1]} in prisma/migrations)` : ''}.`);
        resolve();
      } else reject(new Error(`prisma migrate deploy failed (code ${code}):\n${output}`));
    });
  });
}
