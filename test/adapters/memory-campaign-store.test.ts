/** The memory CampaignStore against the contract every campaign store keeps (test/support/campaign-store-contract.ts). */
import { MemoryCampaignStore } from '../../src/adapters/memory/memory-campaign-store.js';
import { describeCampaignStore } from '../support/campaign-store-contract.js';

describeCampaignStore('memory', () => new MemoryCampaignStore());
