import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/infra/store/store.js';
import { testStore, type StoreKind } from '../support/db.js';

describe.each(['memory', 'redis'] as StoreKind[])('claims and small values share one key space (%s store)', (kind) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await testStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  it('a claim released with del can be claimed again (a failed handler lets the redelivery through)', async () => {
    expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(true);
    expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(false);
    await store.del('slack:event:Ev1');
    expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(true);
    expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(false);
  });

  it('a value set under a key makes a claim of that key fail, and a claim is seen by get', async () => {
    await store.set('k:done', 'yes', 60_000);
    expect(await store.claimOnce('k:done', 60_000)).toBe(false);
    expect(await store.claimOnce('k:new', 60_000)).toBe(true);
    expect(await store.get('k:new')).not.toBeNull();
    expect(await store.claimOnce('k:other', 60_000)).toBe(true);
    expect(await store.get('k:never')).toBeNull();
  });

  it('a claim lapses after its ttl and can be taken again', async () => {
    expect(await store.claimOnce('k:short', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.claimOnce('k:short', 50)).toBe(true);
  });
});
