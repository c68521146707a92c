/**
 * Whether a page on `origin` may use a site's widget. The allowlist holds exact origins
 * (`https://shop.example`) or `*`. A request with no Origin header (not a browser) passes only `*`.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.includes('*')) return true;
  if (!origin) return false;
  const normalized = origin.toLowerCase().replace(/\/$/, '');
  return allowed.some((a) => a.toLowerCase().replace(/\/$/, '') === normalized);
}
