// What each customer has received: the education and engagement messages the channel simulator delivered
// for the campaign, read with its since-cursor query (GET /_sim/messages?campaignId=&after=) so that each
// poll costs only what was delivered since the last one. This is the generator's only window on the
// treatment: control-group customers simply never appear here.
import type { Received } from './behaviour';
import type { JsonClient } from './http';

interface Delivered {
  kind: 'education' | 'engagement';
  at: number;
}

interface MessagesPage {
  messages: { customerRef: string; kind: string; deliveredAt: string }[];
  cursor: number;
}

const PAGE = 10_000;

export class ReceivedMessages {
  private cursor = 0;
  private readonly byCustomer = new Map<string, Delivered[]>();
  total = 0;

  constructor(
    private readonly http: JsonClient,
    private readonly simulatorUrl: string,
    private readonly campaignId: string,
  ) {}

  /** Reads what was delivered since the last poll (all pages of it). */
  async poll(): Promise<void> {
    for (;;) {
      const url = new URL('/_sim/messages', this.simulatorUrl);
      url.searchParams.set('campaignId', this.campaignId);
      url.searchParams.set('after', String(this.cursor));
      url.searchParams.set('limit', String(PAGE));
      const page = (await this.http.get(url.toString())) as MessagesPage;
      for (const m of page.messages) {
        if (m.kind !== 'education' && m.kind !== 'engagement') continue;
        const list = this.byCustomer.get(m.customerRef) ?? [];
        list.push({ kind: m.kind, at: Date.parse(m.deliveredAt) });
        this.byCustomer.set(m.customerRef, list);
        this.total += 1;
      }
      const moved = page.cursor > this.cursor;
      this.cursor = page.cursor;
      if (!moved || page.messages.length < PAGE) return;
    }
  }

  /** Messages delivered to the customer at or before `at` (ms). */
  receivedBy(customerRef: string, at: number): Received {
    const received = { education: 0, engagement: 0 };
    for (const m of this.byCustomer.get(customerRef) ?? []) if (m.at <= at) received[m.kind] += 1;
    return received;
  }
}
