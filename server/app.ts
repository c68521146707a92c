import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './deps.js';
import { onError, onNotFound } from './http/on-error.js';
import { securityHeaders } from './middleware/security-headers/index.js';
import { adminRoutes } from './routes/admin/index.js';
import { healthRoutes } from './routes/health.js';
import { directWidgetRoutes, widgetRoutes } from './routes/widget/index.js';

/** The whole HTTP surface. `server/main.ts` serves it; tests call `app.request(...)` on it. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Before the app-wide middleware: these routes run the same steps themselves, in one handler.
  directWidgetRoutes(app, deps);
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use(securityHeaders());
  app.route('/', healthRoutes());
  app.get('/widget.js', async (c) => {
    let js: string;
    try {
      js = await readFile(deps.widgetFile, 'utf8');
    } catch {
      return c.json({ error: { code: 'not_built', message: 'widget not built: run `npm run build:widget`' } }, 503);
    }
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(js);
  });
  app.route('/v1/widget', widgetRoutes());
  app.route('/v1/admin', adminRoutes());
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
