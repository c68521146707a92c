import type { Db, Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';

export interface AuditEntry {
  siteId?: string | null;
  actorUserId?: string | null;
  /** Dotted verb: "site.create", "knowledge.import", "conversation.resolve", … */
  action: string;
  /** What it acted on (an id). */
  target?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends one row to the audit trail. Pass the transaction of the change it records, so the trail
 * holds exactly the changes that committed.
 */
export async function recordAudit(dbOrTx: Db | Tx, entry: AuditEntry): Promise<void> {
  await dbOrTx.insert(auditLog).values({
    siteId: entry.siteId ?? null,
    actorUserId: entry.actorUserId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    data: entry.data ?? {},
  });
}
