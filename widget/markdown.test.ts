// @vitest-environment happy-dom
import { h, render } from 'preact';
import { describe, expect, test } from 'vitest';
import { renderMarkdown, safeHref } from './markdown.js';

function html(src: string): HTMLElement {
  const el = document.createElement('div');
  render(h('div', null, renderMarkdown(src)), el);
  return el.firstElementChild as HTMLElement;
}

describe('renderMarkdown', () => {
  test('paragraphs split on blank lines; single newlines become <br>', () => {
    expect(html('one\ntwo\n\nthree').innerHTML).toBe('<p>one<br>two</p><p>three</p>');
  });

  test('bold, italic and code, with code left unformatted', () => {
    expect(html('**bold** and *it* and `a **b** <i>`').innerHTML).toBe(
      '<p><strong>bold</strong> and <em>it</em> and <code>a **b** &lt;i&gt;</code></p>',
    );
  });

  test('nested emphasis inside bold and lone asterisks stay text', () => {
    expect(html('**very *much***').querySelector('strong em')?.textContent).toBe('much');
    expect(html('2 * 3 * 4').innerHTML).toBe('<p>2 * 3 * 4</p>');
  });

  test('bullet and numbered lists, with a numbered start and wrapped items', () => {
    const el = html('Steps:\n1. open\n2. click **save**\n   then wait\n\n- a\n* b');
    expect(el.innerHTML).toBe(
      '<p>Steps:</p><ol><li>open</li><li>click <strong>save</strong><br>then wait</li></ol><ul><li>a</li><li>b</li></ul>',
    );
    expect(html('3. third\n4. fourth').querySelector('ol')?.getAttribute('start')).toBe('3');
  });

  test('http(s) and mailto links open safely in a new tab', () => {
    const a = html('see [the **docs**](https://example.com/a?b=1) now').querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a.innerHTML).toBe('the <strong>docs</strong>');
    expect(html('[w](https://en.wikipedia.org/wiki/Foo_(bar)).').querySelector('a')?.getAttribute('href')).toBe(
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    );
    expect(html('[mail](mailto:help@example.com)').querySelector('a')?.getAttribute('href')).toBe('mailto:help@example.com');
  });

  test('hostile markup comes out as inert text', () => {
    const el = html('<script>alert(1)</script> <img src=x onerror="alert(2)"> <b onclick=x>hi</b>');
    expect(el.querySelector('script, img, b')).toBeNull();
    expect(el.textContent).toBe('<script>alert(1)</script> <img src=x onerror="alert(2)"> <b onclick=x>hi</b>');
  });

  test('javascript:, data: and relative links are not links; their label stays as text', () => {
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>x</script>', '/relative', 'vbscript:x']) {
      const el = html(`[click me](${target})`);
      expect(el.querySelector('a'), target).toBeNull();
      expect(el.textContent).toBe('click me');
    }
  });

  test('backslash escapes keep markdown characters literal', () => {
    expect(html('\\*not italic\\*').innerHTML).toBe('<p>*not italic*</p>');
  });
});

test('safeHref accepts only absolute http, https and mailto URLs', () => {
  expect(safeHref('https://a.example/x')).toBe('https://a.example/x');
  expect(safeHref(' http://a.example ')).toBe('http://a.example/');
  expect(safeHref('javascript:alert(1)')).toBeNull();
  expect(safeHref('www.example.com')).toBeNull();
});
