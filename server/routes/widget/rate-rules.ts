import { clientIp } from '../../http/client-ip.js';
import type { RateLimitRule } from '../../middleware/rate-limit/index.js';

/** Widget requests per client IP and window (RATE_LIMIT_IP_PER_MIN). */
export const perIp: RateLimitRule = {
  name: 'ip',
  key: (c) => clientIp(c, c.get('deps').config.trustProxy),
  limit: (c) => c.get('deps').config.rateLimitIp,
};

/** Authenticated widget requests per visitor and window (RATE_LIMIT_VISITOR_PER_MIN). */
export const perVisitor: RateLimitRule = {
  name: 'visitor',
  key: (c) => c.get('visitor').visitorId,
  limit: (c) => c.get('deps').config.rateLimitVisitor,
};
