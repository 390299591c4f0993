// Writes to the channel registry: register, update and retire channels, each with its audit row in
// the same transaction. Channels are never deleted: placements, registrations and the ledger refer to
// them, and an evaluation must stay recomputable from the facts (architecture.md).
import type { Db } from '../../db/client';
import {
  channelShapeIssues,
  type CreateChannelRequest,
  type UpdateChannelRequest,
} from '../../domain/channel';
import type { Channel } from '../../generated/prisma/client';
import { TERMINAL_CAMPAIGN_PHASES } from '../../domain/campaign-phase';
import { conflict, notFound, Problem, validationProblem } from '../problem';
import { isUniqueViolation } from '../../db/unique-violation';

export async function findChannel(db: Db, code: string): Promise<Channel> {
  const channel = await db.channel.findUnique({ where: { code } });
  if (!channel) throw notFound('channel', code);
  return channel;
}

export async function createChannel(db: Db, request: CreateChannelRequest, actor: string): Promise<Channel> {
  try {
    return await db.$transaction(async (tx) => {
      const channel = await tx.channel.create({
        data: { ...request, onlineType: request.onlineType ?? null },
      });
      await tx.auditLog.create({
        data: { actor, action: 'channel.create', payload: { channelId: channel.id, code: channel.code } },
      });
      return channel;
    });
  } catch (err) {
    // The unique index decides, so two concurrent registrations of one code cannot both win.
    if (isUniqueViolation(err)) throw conflict(`channel code "${request.code}" is already registered`);
    throw err;
  }
}

/** Compares an `If-Match` header with the channel's version (sent as ETag "<version>"). */
function assertIfMatch(ifMatch: string | undefined, channel: Channel): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes(`"${channel.version}"`)) {
    throw new Problem(
      412,
      'Precondition Failed',
      `channel "${channel.code}" is at version ${channel.version}`,
      {
        currentVersion: channel.version,
      },
    );
  }
}

export async function updateChannel(
  db: Db,
  code: string,
  patch: UpdateChannelRequest,
  actor: string,
  ifMatch?: string,
): Promise<Channel> {
  const current = await findChannel(db, code);
  if (current.status === 'retired') throw conflict(`channel "${code}" is retired and can no longer change`);
  assertIfMatch(ifMatch, current);

  const { code: _immutable, ...changes } = patch;
  // The pair rules span stored and patched fields: check them on the channel as it would become.
  const merged = {
    kind: changes.kind ?? current.kind,
    onlineType: changes.onlineType !== undefined ? changes.onlineType : current.onlineType,
    // Only the stored adapter's type matters here; rows written before validation may differ.
    adapter: changes.adapter ?? (current.adapter as { type: string }),
  };
  const issues = channelShapeIssues(merged);
  if (issues.length > 0) {
    throw validationProblem(issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })));
  }

  return db.$transaction(async (tx) => {
    // Optimistic: the row must still be the version we merged with, or a concurrent patch is lost.
    const updated = await tx.channel.updateMany({
      where: { id: current.id, version: current.version },
      data: { ...changes, version: { increment: 1 } },
    });
    if (updated.count === 0)
      throw conflict(`channel "${code}" changed concurrently; read it again and retry`);
    await tx.auditLog.create({
      data: {
        actor,
        action: 'channel.update',
        payload: { channelId: current.id, code, fields: Object.keys(changes), version: current.version + 1 },
      },
    });
    return tx.channel.findUniqueOrThrow({ where: { id: current.id } });
  });
}

/**
 * Retiring takes a channel out of use for new campaigns. Refused while a campaign that uses it has
 * not finished: that campaign may still publish, verify, withdraw or deliver messages there.
 * Retiring a retired channel changes nothing (a retried request gets the same answer).
 */
export async function retireChannel(db: Db, code: string, actor: string, reason?: string): Promise<Channel> {
  return db.$transaction(async (tx) => {
    // Locked before it is read: waits for any campaign being created with this channel (it holds the
    // row FOR SHARE, see createCampaign) to commit, so that the check below sees that campaign, and
    // for a concurrent retire, so that a channel is retired (and audited) once.
    await tx.$queryRaw`SELECT id FROM "Channel" WHERE code = ${code} FOR UPDATE`;
    const channel = await tx.channel.findUnique({ where: { code } });
    if (!channel) throw notFound('channel', code);
    if (channel.status === 'retired') return channel;

    const running = await tx.campaignChannel.findMany({
      where: { channelId: channel.id, campaign: { status: { notIn: [...TERMINAL_CAMPAIGN_PHASES] } } },
      select: { campaign: { select: { id: true, name: true, status: true } } },
      orderBy: { campaignId: 'asc' },
      take: 20,
    });
    if (running.length > 0) {
      throw conflict(`channel "${code}" is used by campaigns that have not finished`, {
        campaigns: running.map((row) => row.campaign),
      });
    }

    const retired = await tx.channel.update({
      where: { id: channel.id },
      data: { status: 'retired', retiredAt: new Date(), version: { increment: 1 } },
    });
    await tx.auditLog.create({
      data: {
        actor,
        action: 'channel.retire',
        payload: { channelId: channel.id, code, reason: reason ?? null },
      },
    });
    return retired;
  });
}
