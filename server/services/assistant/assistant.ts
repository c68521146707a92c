import { eq } from 'drizzle-orm';
import type { GenerationPool } from '../../../assistant/policy/generation-pool.js';
import { PolicyResponder, type PolicyServingOptions, type ServedPolicy } from '../../../assistant/policy/policy-responder.js';
import { KnowledgeIndex } from '../../../assistant/retrieval/index.js';
import { DEFAULT_RETRIEVAL, RetrievalResponder } from '../../../assistant/retrieval/responder.js';
import type { Responder } from '../../../assistant/responder.js';
import type { Db } from '../../db/client.js';
import { knowledgeEntries, type Site } from '../../db/schema.js';
import { loadModelArtifact } from '../models/load-artifact.js';
import { findSitePolicies } from './site-policies.js';

/** Picks the responder that answers for a site: its active policy when it has one, else retrieval. */
export interface AssistantService {
  responderFor(site: Pick<Site, 'id' | 'knowledgeVersion'>): Promise<Responder>;
  /** Forgets which policies a site (or, without an id, every site) serves: a model was activated. */
  invalidate(siteId?: string | null): void;
}

/**
 * Without a "model activated" message (Redis down, a message lost in a reconnect) a server still picks
 * up a new policy within this long.
 */
const POLICY_RECHECK_MS = 60_000;

interface Knowledge {
  index: KnowledgeIndex;
  retrieval: RetrievalResponder;
}

interface Policies {
  active: ServedPolicy | null;
  candidate: ServedPolicy | null;
}

/**
 * Keeps per site (1) the retrieval index, rebuilt when the site's `knowledge_version` moves (every
 * import bumps it), and (2) which policies serve it, re-read when told a model was activated (pub/sub)
 * or after POLICY_RECHECK_MS. A policy is loaded into a generation worker before it serves; one that
 * cannot load is logged and the site answers with retrieval rather than failing its visitors.
 */
export function createAssistantService({
  db,
  pool,
  serving,
  log,
}: {
  db: Db;
  pool: GenerationPool;
  serving: PolicyServingOptions;
  log: (line: string) => void;
}): AssistantService {
  const knowledge = new Map<string, { version: number; value: Promise<Knowledge> }>();
  const policies = new Map<string, { at: number; value: Promise<Policies> }>();
  /** Prepared policies by version id (a version's checkpoint never changes). */
  const served = new Map<string, Promise<ServedPolicy>>();

  async function buildKnowledge(siteId: string, version: number): Promise<Knowledge> {
    const rows = await db
      .select({ id: knowledgeEntries.id, question: knowledgeEntries.question, answer: knowledgeEntries.answer })
      .from(knowledgeEntries)
      .where(eq(knowledgeEntries.siteId, siteId));
    const index = new KnowledgeIndex(rows);
    return { index, retrieval: new RetrievalResponder(index, { ...DEFAULT_RETRIEVAL, version: `kb-${version}` }) };
  }

  function serve(version: { id: string; name: string }): Promise<ServedPolicy> {
    let p = served.get(version.id);
    if (!p) {
      const load = () => loadModelArtifact({ db, versionId: version.id });
      p = pool.prepare(version.id, load).then((info) => ({ versionId: version.id, label: version.id, info, load }));
      served.set(version.id, p);
      p.catch(() => served.delete(version.id)); // retried at the next re-check
    }
    return p;
  }

  async function buildPolicies(siteId: string): Promise<Policies> {
    const found = await findSitePolicies({ db, siteId });
    const ready = async (v: { id: string; name: string } | null, role: string) => {
      if (!v) return null;
      try {
        return await serve(v);
      } catch (err) {
        log(`site ${siteId}: ${role} policy ${v.name} (${v.id}) cannot serve, ${role === 'active' ? 'answering with retrieval' : 'comparisons use samples'}: ${(err as Error).message}`);
        return null;
      }
    };
    const [active, candidate] = await Promise.all([ready(found.active, 'active'), ready(found.candidate, 'candidate')]);
    return { active, candidate };
  }

  function knowledgeFor(site: Pick<Site, 'id' | 'knowledgeVersion'>): Promise<Knowledge> {
    const hit = knowledge.get(site.id);
    if (hit && hit.version === site.knowledgeVersion) return hit.value;
    const value = buildKnowledge(site.id, site.knowledgeVersion);
    knowledge.set(site.id, { version: site.knowledgeVersion, value });
    value.catch(() => knowledge.get(site.id)?.value === value && knowledge.delete(site.id));
    return value;
  }

  function policiesFor(siteId: string): Promise<Policies> {
    const hit = policies.get(siteId);
    if (hit && performance.now() - hit.at < POLICY_RECHECK_MS) return hit.value;
    const value = buildPolicies(siteId);
    policies.set(siteId, { at: performance.now(), value });
    value.catch(() => policies.get(siteId)?.value === value && policies.delete(siteId));
    return value;
  }

  return {
    async responderFor(site) {
      const [k, p] = await Promise.all([knowledgeFor(site), policiesFor(site.id)]);
      if (!p.active) return k.retrieval;
      return new PolicyResponder({ pool, index: k.index, active: p.active, candidate: p.candidate, fallback: k.retrieval, options: serving, log });
    },
    invalidate(siteId) {
      if (siteId) policies.delete(siteId);
      else policies.clear();
    },
  };
}
