/**
 * What every CampaignStore must do (src/core/broadcast/campaign-store.ts), as one suite to run against each
 * implementation: `describeCampaignStore('memory', () => new MemoryCampaignStore())`; a database-backed store
 * adds its own line, with a fresh database per call.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignDocument, CampaignStore, RecipientRecord } from '../../src/core/broadcast/campaign-store.js';

const AT = Date.UTC(2026, 11, 31, 18); // 2027-01-01 01:00 in Vietnam

function doc(id: string, createdAt: number): CampaignDocument {
  return {
    campaign: {
      id,
      content: { text: 'Hội chợ OCOP', sender: 'Văn phòng Điều phối NTM tỉnh Cao Bằng' },
      segment: { communes: ['Xã Quảng Lâm'] },
      urgent: false,
      createdBy: 'admin',
      createdAt,
      startAt: createdAt,
    },
    status: 'scheduled',
    resent: 0,
  };
}

const rec = (channel: 'telegram' | 'zalo', userId: string): RecipientRecord => ({
  channel,
  userId,
  chatId: userId,
  key: `${channel}:${userId}`,
  state: 'pending',
  round: 0,
});

export function describeCampaignStore(name: string, make: () => CampaignStore | Promise<CampaignStore>): void {
  describe(`CampaignStore contract: ${name}`, () => {
    it('hands out ids never given before, numbered within the Vietnam year', async () => {
      const store = await make();
      const ids = [await store.nextId(AT), await store.nextId(AT), await store.nextId(AT - 2 * 3600_000)];
      expect(new Set(ids).size).toBe(3);
      expect(ids[0]).toMatch(/^TB-2027-\d{6}$/);
      expect(ids[2]).toMatch(/^TB-2026-\d{6}$/);
    });

    it('keeps campaigns and lists the newest first, at most `limit`; an unknown one is undefined', async () => {
      const store = await make();
      await store.create(doc('TB-2027-000001', AT), [rec('telegram', '1')]);
      await store.create(doc('TB-2027-000003', AT + 2), []);
      await store.create(doc('TB-2027-000002', AT + 1), [rec('zalo', 'z')]);
      expect(await store.get('TB-2027-000001')).toEqual(doc('TB-2027-000001', AT));
      expect(await store.get('TB-2027-000404')).toBeUndefined();
      expect((await store.list(10)).map((d) => d.campaign.id)).toEqual([
        'TB-2027-000003',
        'TB-2027-000002',
        'TB-2027-000001',
      ]);
      expect((await store.list(2)).map((d) => d.campaign.id)).toEqual(['TB-2027-000003', 'TB-2027-000002']);
      expect(await store.recipients('TB-2027-000404')).toEqual([]);
    });

    it('keeps recipients in their order, finds one by key, filters by state, counts every state', async () => {
      const store = await make();
      const id = 'TB-2027-000010';
      const all = [rec('telegram', '30'), rec('zalo', 'z-1'), rec('telegram', '10')];
      await store.create(doc(id, AT), all);
      expect(await store.recipients(id)).toEqual(all);
      expect(await store.recipient(id, 'zalo:z-1')).toEqual(all[1]);
      expect(await store.recipient(id, 'zalo:none')).toBeUndefined();
      await store.save(id, {
        recipients: [{ ...all[2]!, state: 'claimed', claimedAt: AT + 5, claimId: 'host-1-abc#1' }],
      });
      expect(await store.recipients(id, 'claimed')).toEqual([
        { ...all[2]!, state: 'claimed', claimedAt: AT + 5, claimId: 'host-1-abc#1' },
      ]);
      expect((await store.recipients(id, 'pending')).map((r) => r.key)).toEqual(['telegram:30', 'zalo:z-1']);
      expect(await store.counts(id)).toEqual({
        pending: 2,
        claimed: 1,
        in_doubt: 0,
        sent: 0,
        failed: 0,
        blocked: 0,
        cancelled: 0,
      });
    });

    it('saves a new document and changed recipients together; what it returns are copies', async () => {
      const store = await make();
      const id = 'TB-2027-000020';
      await store.create(doc(id, AT), [rec('telegram', '1'), rec('telegram', '2')]);
      const d = (await store.get(id))!;
      d.status = 'done';
      d.finishedAt = AT + 9;
      d.resent = 1;
      d.resentAt = AT + 8;
      await store.save(id, { document: d, recipients: [{ ...rec('telegram', '2'), state: 'sent' }] });
      expect(await store.get(id)).toEqual(d);
      expect((await store.recipients(id)).map((r) => r.state)).toEqual(['pending', 'sent']);
      // Changing what was returned changes nothing kept.
      const got = (await store.recipients(id))[0]!;
      got.state = 'failed';
      (await store.get(id))!.campaign.content.text = 'khác';
      expect((await store.recipient(id, 'telegram:1'))?.state).toBe('pending');
      expect((await store.get(id))?.campaign.content.text).toBe('Hội chợ OCOP');
    });

    it('refuses a second campaign with the same id, and a save to an unknown campaign', async () => {
      const store = await make();
      await store.create(doc('TB-2027-000030', AT), []);
      await expect(store.create(doc('TB-2027-000030', AT), [])).rejects.toThrow();
      await expect(store.save('TB-2027-000404', { recipients: [rec('telegram', '1')] })).rejects.toThrow();
    });
  });
}
