#!/usr/bin/env node
// Runs the Prisma CLI with a DATABASE_URL always set.
// Why: Prisma 6.19 on the JS engine path still tries to download a native query engine when the
// schema's `url` env var is missing (see docs/toolchain notes). Commands that do not touch a
// database (generate, validate, format) get a placeholder URL; the others get the real one.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
if (!env.DATABASE_URL) env.DATABASE_URL = 'postgresql://placeholder@127.0.0.1:1/placeholder';
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const bin = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
