// Structured JSON logs, one line per event, with the component and (in the API) the request id.
// Written by pino (docs/architecture.md, "Why these tools"): asynchronous buffered writes off the
// request path, child loggers and key redaction, with the same fields as before — time (ISO 8601),
// level (a word), component, msg, then the caller's fields. warn and error go to stderr, the rest
// to stdout, so an operator can split them as before.
import pino from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Fields that must never reach a log line whatever a caller passes: credentials, and the personal
 * data a bank may not copy into its log store (a customer's reference names a person to the bank).
 */
export const REDACTED_FIELDS = [
  'authorization',
  'apiKey',
  'secret',
  'password',
  'token',
  'customerRef',
  'phone',
  'mobile',
  'email',
  'idNumber',
];

export interface LoggerOptions {
  /** Where lines go (default: stdout for debug/info, stderr for warn/error). */
  destination?: pino.DestinationStream;
}

function defaultDestination(): pino.DestinationStream {
  return pino.multistream(
    [
      { level: 'debug', stream: pino.destination({ dest: 1, sync: false }) },
      // Synchronous: a warning or an error written just before the process dies is not lost.
      { level: 'warn', stream: pino.destination({ dest: 2, sync: true }) },
    ],
    // Each line goes to the stream with the highest level it reaches: a warning to stderr only.
    { dedupe: true },
  );
}

export function createLogger(
  component: string,
  level: Level = 'info',
  base: Record<string, unknown> = {},
  options: LoggerOptions = {},
): Logger {
  const root = pino(
    {
      level,
      base: { component, ...base },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]),
        censor: '[redacted]',
      },
    },
    options.destination ?? defaultDestination(),
  );
  return wrap(root);
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}
