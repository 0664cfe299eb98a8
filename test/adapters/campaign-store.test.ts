/** The memory and SQLite CampaignStores against the contract every campaign store keeps (test/support/campaign-store-contract.ts). */
import { MemoryCampaignStore } from '../../src/adapters/memory/memory-campaign-store.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteCampaignStore } from '../../src/adapters/sqlite/sqlite-campaign-store.js';
import { describeCampaignStore } from '../support/campaign-store-contract.js';

describeCampaignStore('memory', () => new MemoryCampaignStore());
describeCampaignStore('sqlite', () => new SqliteCampaignStore(openDatabase(':memory:')));
