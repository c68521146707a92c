import { AdminErrorCode, type CorrectionView, type CreateCorrectionRequest } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { corrections } from '../../db/schema.js';
import { badRequest } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { staffMessage } from '../conversations/scope.js';

/**
 * Stores the answer staff say an assistant message should have been. It becomes SFT data and a
 * preference pair (correction ≻ original) in the exports. Only assistant messages can be corrected.
 */
export async function createCorrection({
  db,
  userId,
  messageId,
  input,
}: {
  db: Db;
  userId: string;
  messageId: string;
  input: CreateCorrectionRequest;
}): Promise<CorrectionView> {
  return db.transaction(async (tx) => {
    const { message } = await staffMessage(tx, userId, messageId);
    if (message.role !== 'assistant') {
      throw badRequest(`this is a ${message.role} message: only assistant answers can be corrected`, AdminErrorCode.notAssistantMessage);
    }
    const [row] = await tx
      .insert(corrections)
      .values({ siteId: message.siteId, messageId: message.id, authorId: userId, text: input.text })
      .returning();
    await recordAudit(tx, {
      siteId: message.siteId,
      actorUserId: userId,
      action: 'correction.create',
      target: message.id,
      data: { correctionId: row!.id, conversationId: message.conversationId },
    });
    return {
      id: row!.id,
      messageId: row!.messageId,
      text: row!.text,
      authorId: row!.authorId,
      createdAt: row!.createdAt.toISOString(),
    };
  });
}
