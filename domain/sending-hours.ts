// A campaign's (or the contact policy's) sending hours: the local hours in which messages may be sent,
// as a type and its zod schema. When a step runs inside them is funnel/schedule.ts.
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { z } from 'zod';

/**
 * Local hours in which messages may be sent, [start, end). When end is earlier than start the hours
 * wrap midnight ('20:00'–'08:00' is the night); '00:00'–'24:00' means any time.
 */
export interface SendingHours {
  readonly start: string;
  readonly end: string;
}

export const ALWAYS: SendingHours = { start: '00:00', end: '24:00' };

const START = /^([01]\d|2[0-3]):([0-5]\d)$/;
const END = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

export const SendingHoursSchema = z
  .strictObject({
    start: z.string().regex(START, { message: "Invalid time: expected 'HH:MM' from '00:00' to '23:59'" }),
    end: z.string().regex(END, { message: "Invalid time: expected 'HH:MM' from '00:00' to '24:00'" }),
  })
  .refine((hours) => hours.start !== hours.end, {
    message: "Sending hours must not start and end at the same time; use '00:00'–'24:00' for any time",
    path: ['end'],
  });
