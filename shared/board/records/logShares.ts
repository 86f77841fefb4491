import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import { DECISIONS, LIMITS_LOG } from '../../year/practiceLog.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, id, text } from './fields.ts';

/**
 * A practice-log entry its author shared with the community (or the
 * cohort), put on the meeting's board by the server for the log round
 * (server/year/gatherLog.ts). `authorId` is the author's participant in this
 * meeting, so the round's turn order finds it; `entryId` names the entry in
 * the year's store. Nobody writes these but the server: the board holds what
 * the authors shared and nothing else.
 */
export const logShareSchema = z.object({
  ...base,
  entryId: id,
  tried: text(LIMITS_LOG.fieldChars),
  what: text(LIMITS_LOG.fieldChars),
  soWhat: text(LIMITS_LOG.fieldChars),
  nowWhat: text(LIMITS_LOG.fieldChars),
  actual: text(LIMITS_LOG.fieldChars),
  decision: z.enum(DECISIONS).nullable(),
});
export type LogShare = z.infer<typeof logShareSchema>;

type Store = OwnedRecordStore<{ logShares: typeof logShareSchema }>;

export const logShares = {
  schema: logShareSchema,
  rule: { kind: 'logShare', creators: 'server', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 0 },
  commands: (board: Store) => ({
    /**
     * Makes the board's shared entries exactly `shares` (one per author):
     * new ones added, changed ones updated, and any its author has since
     * narrowed or deleted taken off.
     */
    putLogShares(origin: BoardOrigin, shares: ReadonlyArray<Omit<LogShare, 'id' | 'createdAt'>>): void {
      board.transact(origin, () => {
        const wanted = new Map(shares.map((s) => [s.entryId, s]));
        for (const existing of board.list('logShares')) {
          const next = wanted.get(existing.entryId);
          if (!next || next.authorId !== existing.authorId) board.remove('logShares', origin, existing.id);
        }
        for (const share of shares) {
          const existing = board.list('logShares').find((s) => s.entryId === share.entryId);
          const { authorId, ...fields } = share;
          if (existing) board.update('logShares', origin, existing.id, fields);
          else board.insert('logShares', origin, { ...share, authorId, createdAt: Date.now() });
        }
      });
    },
  }),
} satisfies RecordType<Store>;
