// Typed custom search attributes set by campaign workflows, so that operations views can list
// campaigns by id and phase from Temporal visibility. Registered by the dev server at start
// (see infra/temporal-server.ts) and by the worker on external servers.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CampaignIdKey = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const CampaignStatusKey = defineSearchAttributeKey('CampaignStatus', SearchAttributeType.KEYWORD);

export const campaignSearchAttributes = [CampaignIdKey, CampaignStatusKey];
