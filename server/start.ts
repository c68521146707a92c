/**
 * `npm start`: everything on embedded defaults. The production server of server/main.ts, plus the demo
 * shop (owner account, `pk_demo` site, knowledge base from data/) and its host page on a second origin
 * (DEMO_PORT, default 8788) that embeds the widget with the loader snippet. DEMO_PORT=0 leaves both out.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type RunningServer, type StartServerOptions } from './main.js';
import { serveDemoPage } from './runtime/demo-page.js';
import { seedDemo, type DemoSeedResult } from './runtime/demo-seed.js';

export interface DemoServer {
  server: RunningServer;
  /** Undefined when DEMO_PORT=0. */
  demo?: { url: string; seed: DemoSeedResult };
}

/** The origins the demo page is served from: both spellings a browser on this machine may use. */
export const demoOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

export async function startWithDemo(opts: StartServerOptions = {}): Promise<DemoServer> {
  let seed: DemoSeedResult | undefined;
  const server = await startServer({
    ...opts,
    async prepare(ctx) {
      await opts.prepare?.(ctx);
      if (ctx.config.demoPort === 0) return;
      seed = await seedDemo({ db: ctx.db, dataDir: ctx.config.dataDir, demoOrigins: demoOrigins(ctx.config.demoPort) });
    },
  });
  if (!seed) return { server };
  try {
    const page = await serveDemoPage({ host: server.config.host, port: server.config.demoPort, publicUrl: server.publicUrl });
    server.onClose(() => page.close());
    return { server, demo: { url: `http://localhost:${page.port}`, seed } };
  } catch (err) {
    await server.close();
    throw err;
  }
}

function banner({ server, demo }: DemoServer): string {
  const lines = ['', 'Rapport is running.', `  API and widget   ${server.publicUrl}   (health: ${server.publicUrl}/readyz)`];
  if (demo) {
    const { seed } = demo;
    const made = seed.created.knowledgeEntries ? `, ${seed.created.knowledgeEntries} knowledge entries imported` : '';
    lines.push(`  Demo shop page   ${demo.url}   (site "${seed.site.name}", key ${seed.site.publicKey}${made})`);
    lines.push(
      seed.owner.password
        ? `  Staff sign-in    ${seed.owner.email} / ${seed.owner.password}   (kept in ${seed.owner.credentialsFile})`
        : `  Staff sign-in    ${seed.owner.email}: its password file ${seed.owner.credentialsFile} is gone; ` +
            'add an account with `npm run cli -- create-owner --email E --password P`',
    );
    lines.push(`                   POST ${server.publicUrl}/v1/admin/auth/login {"email","password"}`);
  }
  const data = path.resolve(server.config.dataDir);
  lines.push(
    `  Database         ${server.embeddedDatabase ? `embedded Postgres (data in ${path.join(data, 'postgres')})` : 'DATABASE_URL'}`,
    'Press Ctrl-C to stop.',
    '',
  );
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  startWithDemo().then(
    (running) => console.log(banner(running)),
    (err: unknown) => {
      console.error(`rapport: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
