import { and, eq, sql } from 'drizzle-orm';
import { ErrorCode } from '../../../protocol/errors.js';
import type { CreateSessionRequest, CreateSessionResponse } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { visitors } from '../../db/schema.js';
import { forbidden, notFound } from '../../errors.js';
import { originAllowed } from './origin.js';
import { siteCache } from './site-cache.js';
import { signVisitorToken } from './visitor-token.js';

/**
 * A page loaded the widget: check the site key and the page's origin, find or create the visitor, and
 * hand out a token bound to (site, visitor). A visitorId from another site (or unknown) gets a new
 * visitor rather than an error: it is only a browser's remembered id.
 */
export async function startSession({
  deps,
  input,
  origin,
}: {
  deps: AppDeps;
  input: CreateSessionRequest;
  origin: string | undefined;
}): Promise<CreateSessionResponse> {
  const site = await siteCache(deps.db).byPublicKey(input.siteKey);
  if (!site) throw notFound(`site key ${input.siteKey}`);
  if (!originAllowed(site.allowedOrigins, origin)) {
    throw forbidden(
      `origin ${origin ?? '(none)'} is not allowed to embed this site: add it to the site's allowed origins`,
      ErrorCode.originNotAllowed,
    );
  }
  let visitorId: string | undefined;
  if (input.visitorId) {
    const [known] = await deps.db
      .update(visitors)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(visitors.id, input.visitorId), eq(visitors.siteId, site.id)))
      .returning({ id: visitors.id });
    visitorId = known?.id;
  }
  if (!visitorId) {
    const [created] = await deps.db.insert(visitors).values({ siteId: site.id }).returning({ id: visitors.id });
    visitorId = created!.id;
  }
  return {
    visitorToken: signVisitorToken(deps.config.secret, { siteId: site.id, visitorId }),
    visitorId,
    site: {
      name: site.name,
      greeting: site.greeting,
      theme: site.theme,
      locale: site.locale,
      compareRate: site.compareRate,
    },
  };
}
