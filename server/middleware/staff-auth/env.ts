import type { StaffRole } from '../../../protocol/admin.js';
import type { AppEnv } from '../../deps.js';

/** Hono environment of the admin API: AppEnv plus what the staff middleware attach. */
export interface AdminEnv {
  Variables: AppEnv['Variables'] & {
    /** The session's CSRF token (cookie sessions); null for API tokens, which need none. */
    csrfToken: string | null;
    /** Set by `siteAccess()`: the site in the path and the caller's role on it. */
    site: { id: string; role: StaffRole };
  };
}
