// The console's pages: one table from hash route to page module, and the main navigation. Adding a page
// is one line in ROUTES (and, for a top-level page, one in NAV). A page is a function
// `(main, ...params) → { rerender(), dispose() }`; params are the pattern's decoded capture groups.
// The first matching route wins, so put specific patterns before general ones.
import { approvalQueuePage } from './pages/approval-queue.js';
import { campaignBuilderPage } from './pages/campaign-builder.js';
import { campaignDetailPage } from './pages/campaign-detail.js';
import { campaignListPage } from './pages/campaign-list.js';
import { channelDetailPage } from './pages/channel-detail.js';
import { channelFormPage } from './pages/channel-form.js';
import { channelListPage } from './pages/channel-list.js';
import { contactPolicyPage } from './pages/contact-policy.js';
import { customerPage } from './pages/customer.js';
import { insightsPage } from './pages/insights.js';
import { materialDetailPage } from './pages/material-detail.js';
import { materialFormPage } from './pages/material-form.js';
import { materialListPage } from './pages/material-list.js';
import { planningPage } from './pages/planning.js';

/** `nav` names the NAV entry shown as current on that page. Patterns match the hash without its query. */
export const ROUTES = [
  { pattern: /^#\/channels\/new$/, page: channelFormPage, nav: 'channels' },
  { pattern: /^#\/channels\/([^/]+)\/edit$/, page: channelFormPage, nav: 'channels' },
  { pattern: /^#\/channels\/([^/]+)$/, page: channelDetailPage, nav: 'channels' },
  { pattern: /^#\/channels$/, page: channelListPage, nav: 'channels' },
  { pattern: /^#\/materials\/new$/, page: materialFormPage, nav: 'materials' },
  { pattern: /^#\/materials\/([^/]+)$/, page: materialDetailPage, nav: 'materials' },
  { pattern: /^#\/materials$/, page: materialListPage, nav: 'materials' },
  { pattern: /^#\/approvals$/, page: approvalQueuePage, nav: 'approvals' },
  { pattern: /^#\/campaigns\/new$/, page: campaignBuilderPage, nav: 'campaigns' },
  { pattern: /^#\/campaigns\/([^/]+)$/, page: campaignDetailPage, nav: 'campaigns' },
  { pattern: /^#\/insights$/, page: insightsPage, nav: 'insights' },
  { pattern: /^#\/planning$/, page: planningPage, nav: 'planning' },
  { pattern: /^#\/contact-policy$/, page: contactPolicyPage, nav: 'contactPolicy' },
  { pattern: /^#\/customers\/([^/]+)$/, page: customerPage, nav: 'customers' },
  { pattern: /^#\/customers$/, page: customerPage, nav: 'customers' },
  { pattern: /^#\/?$/, page: campaignListPage, nav: 'campaigns' },
];

/** The main navigation, in order: `label` is an i18n key. */
export const NAV = [
  { key: 'campaigns', href: '#/', label: 'navCampaigns' },
  { key: 'channels', href: '#/channels', label: 'navChannels' },
  { key: 'materials', href: '#/materials', label: 'navMaterials' },
  { key: 'approvals', href: '#/approvals', label: 'navApprovals' },
  { key: 'insights', href: '#/insights', label: 'navInsights' },
  { key: 'planning', href: '#/planning', label: 'navPlanning' },
  { key: 'contactPolicy', href: '#/contact-policy', label: 'navContactPolicy' },
  { key: 'customers', href: '#/customers', label: 'navCustomers' },
];

/** The route for a location hash (query string ignored), with its decoded params; the list when none. */
export function resolveRoute(hash) {
  const path = (hash || '#/').split('?')[0];
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return { route: ROUTES[ROUTES.length - 1], params: [] };
}

/** The query string of the current hash route (`#/channels?kind=offline` → kind=offline). */
export function hashQuery(hash = location.hash) {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}
