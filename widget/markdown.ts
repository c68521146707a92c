import { h, type ComponentChild, type ComponentChildren } from 'preact';

/**
 * The safe markdown subset assistant answers may use: paragraphs, line breaks, **bold**, *italic*,
 * `code`, bullet and numbered lists, and [links](url) to http(s)/mailto only. Output is Preact
 * vnodes whose text is always a text node, so markup in the input (`<script>`, `<img onerror>`)
 * stays inert text. Hand-written because a full markdown library plus an HTML sanitizer would be
 * several times the widget's whole size budget.
 */
export function renderMarkdown(src: string): ComponentChild[] {
  const blocks: ComponentChild[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | null = null;

  const endPara = () => {
    if (para.length) blocks.push(h('p', null, inline(para.join('\n'))));
    para = [];
  };
  const endList = () => {
    if (list) {
      const items = list.items.map((t) => h('li', null, inline(t)));
      blocks.push(list.ordered ? h('ol', list.start === 1 ? null : { start: list.start }, items) : h('ul', null, items));
    }
    list = null;
  };

  for (const line of src.replace(/\r\n?/g, '\n').split('\n')) {
    const item = /^ {0,3}(?:[-*+]|(\d{1,9})[.)])[ \t]+(.*)$/.exec(line);
    if (item) {
      endPara();
      const ordered = item[1] !== undefined;
      if (!list || list.ordered !== ordered) {
        endList();
        list = { ordered, start: ordered ? Number(item[1]) : 1, items: [] };
      }
      list.items.push(item[2]);
    } else if (!line.trim()) {
      endPara();
      endList();
    } else if (list && /^\s/.test(line)) {
      // An indented line continues the previous list item (a wrapped line).
      list.items[list.items.length - 1] += '\n' + line.trim();
    } else {
      endList();
      para.push(line);
    }
  }
  endPara();
  endList();
  return blocks;
}

/** The href for a link target, or null when it is not an absolute http(s) or mailto URL. */
export function safeHref(raw: string): string | null {
  try {
    // The URL parser strips the tabs/newlines and normalizes the case that obfuscated
    // "java\tscript:" or "JAVASCRIPT:" targets rely on, so checking `protocol` is enough.
    const url = new URL(raw.trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function inline(s: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let text = '';
  const emit = (...nodes: ComponentChildren[]) => {
    if (text) out.push(text);
    text = '';
    out.push(...nodes);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    let end: number;
    if (c === '\\' && /[\\`*_[\]()]/.test(s[i + 1] ?? '')) {
      text += s[i + 1];
      i += 2;
    } else if (c === '\n') {
      emit(h('br', null));
      i++;
    } else if (c === '`' && (end = s.indexOf('`', i + 1)) > i + 1) {
      emit(h('code', null, s.slice(i + 1, end)));
      i = end + 1;
    } else if (s.startsWith('**', i) && (end = s.indexOf('**', i + 2)) > i + 2) {
      // In a run like "***" the bold closes on its last two stars: "**a *b***".
      while (s[end + 2] === '*') end++;
      emit(h('strong', null, inline(s.slice(i + 2, end))));
      i = end + 2;
    } else if (c === '*' && !/\s/.test(s[i + 1] ?? ' ') && (end = s.indexOf('*', i + 1)) > i + 1 && s[end - 1] !== ' ') {
      emit(h('em', null, inline(s.slice(i + 1, end))));
      i = end + 1;
    } else if (c === '[' && link(s, i)) {
      const [label, target, next] = link(s, i)!;
      const href = safeHref(target);
      // A refused target keeps its label as plain text: the reader loses nothing but the link.
      emit(...(href ? [h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, inline(label))] : inline(label)));
      i = next;
    } else {
      text += c;
      i++;
    }
  }
  if (text) out.push(text);
  return out;
}

/** `[label](target)` starting at `i`: label, target and the index after ")", or null. */
function link(s: string, i: number): [string, string, number] | null {
  const mid = s.indexOf('](', i + 1);
  if (mid < 0 || s.slice(i + 1, mid).includes('\n')) return null;
  // Balanced parentheses belong to the URL ("https://en.wikipedia.org/wiki/Foo_(bar)").
  for (let j = mid + 2, depth = 0; j < s.length && s[j] !== '\n'; j++) {
    if (s[j] === '(') depth++;
    else if (s[j] === ')' && depth-- === 0) return [s.slice(i + 1, mid), s.slice(mid + 2, j), j + 1];
  }
  return null;
}
