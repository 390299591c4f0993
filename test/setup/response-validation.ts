// Every response the app sends during a test file is checked against the API's OpenAPI document
// (test/support/response-contract.ts); the file fails in afterAll when any did not match, naming the
// operation, the status, where in the body and what the schema says. Installed for the integration and
// browser projects (jest.config.js setupFilesAfterEnv), so that every test — and every route added
// later — is covered without asking for it. docs/testing.md says how to read and fix a violation.
import { appendFileSync } from 'node:fs';
import express from 'express';
import { openApiDocument } from '../../api/openapi/document';
import {
  formatViolations,
  installResponseRecorder,
  ResponseContract,
  type Violation,
} from '../support/response-contract';

let contract: ResponseContract | null = null;
const violations: Violation[] = [];
let checked = 0;
let recorderErrors = 0;

const uninstall = installResponseRecorder(express.response, (sent) => {
  try {
    contract ??= new ResponseContract(openApiDocument());
    checked++;
    const violation = contract.check(sent);
    if (violation) violations.push(violation);
  } catch (err) {
    recorderErrors++;
    violations.push({
      operation: `${sent.method} ${sent.path}`,
      status: sent.status,
      path: sent.path,
      problems: [`the response check itself failed: ${err instanceof Error ? err.message : String(err)}`],
    });
  }
});

afterAll(() => {
  uninstall();
  // RESPONSE_CHECK_LOG=<file>: one line per test file (path, responses checked, violations), to see
  // how much of the API a run exercised.
  const log = process.env.RESPONSE_CHECK_LOG;
  if (log) appendFileSync(log, `${expect.getState().testPath} ${checked} ${violations.length}\n`);
  if (violations.length === 0) return;
  throw new Error(
    `${violations.length} of ${checked} responses do not match /openapi.json` +
      `${recorderErrors ? ` (${recorderErrors} could not be checked)` : ''}:\n${formatViolations(violations)}\n` +
      'Fix the response schema where the response is produced, or the code (docs/testing.md, "Response validation").',
  );
});
