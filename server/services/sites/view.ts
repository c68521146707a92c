import type { SiteView, StaffRole } from '../../../protocol/admin.js';
import type { Site } from '../../db/schema.js';

/** Wire shape of a site for staff, with the caller's role on it. */
export function siteView(site: Site, role: StaffRole): SiteView {
  return {
    id: site.id,
    siteKey: site.publicKey,
    name: site.name,
    allowedOrigins: site.allowedOrigins,
    greeting: site.greeting,
    persona: site.persona,
    theme: site.theme,
    locale: site.locale,
    compareRate: site.compareRate,
    placeholders: site.placeholders,
    knowledgeVersion: site.knowledgeVersion,
    createdAt: site.createdAt.toISOString(),
    role,
  };
}
