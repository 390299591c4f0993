// Compliance sign-off of a material version (four-eyes rule): a bank may only publish creatives that
// someone other than their author approved. Approval is the one write a version ever receives after
// it is created; it is recorded once, with who and when, and never moved to another approver.
import type { Db } from '../../db/client';
import type { MaterialVersion } from '../../generated/prisma/client';
import { conflict, Problem } from '../problem';

const ANONYMOUS = 'anonymous';

export interface Approval {
  version: MaterialVersion;
  /** false when the same approver had already approved it (a retry): nothing was written. */
  recorded: boolean;
}

function alreadyApproved(version: MaterialVersion, approver: string): Approval {
  if (version.approvedBy === approver) return { version, recorded: false };
  throw conflict(`version ${version.version} was already approved by ${version.approvedBy}`, {
    approvedBy: version.approvedBy,
    approvedAt: version.approvedAt,
  });
}

export async function approveVersion(
  db: Db,
  materialId: string,
  versionId: string,
  approver: string,
): Promise<Approval> {
  if (approver === ANONYMOUS) {
    throw new Problem(403, 'Forbidden', 'a compliance approval needs a named approver');
  }
  const version = await db.materialVersion.findFirst({ where: { id: versionId, materialId } });
  if (!version) throw new Problem(404, 'Not Found', `material ${materialId} has no version ${versionId}`);
  if (version.author === approver) {
    throw new Problem(
      403,
      'Forbidden',
      'the author of a version cannot approve it; another person must sign off',
    );
  }
  if (version.approvedBy !== null) return alreadyApproved(version, approver);

  return db.$transaction(async (tx) => {
    // Conditional on "not yet approved", so two approvers racing cannot both be recorded.
    const now = new Date();
    const updated = await tx.materialVersion.updateMany({
      where: { id: versionId, approvedBy: null },
      data: { approvedBy: approver, approvedAt: now },
    });
    const current = await tx.materialVersion.findUniqueOrThrow({ where: { id: versionId } });
    if (updated.count === 0) return alreadyApproved(current, approver);
    await tx.auditLog.create({
      data: {
        actor: approver,
        action: 'material_version.approve',
        payload: { materialId, versionId, version: current.version, contentHash: current.contentHash },
      },
    });
    return { version: current, recorded: true };
  });
}
