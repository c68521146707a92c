const SLOT = /\{\{\s*([^{}]+?)\s*\}\}/g;

/**
 * Fills `{{Name}}` slots (as in the Bitext answers) from the site's values. An unknown slot becomes its
 * own name ("{{Order History}}" → "Order History"), which reads naturally as the label of a page or
 * button, instead of leaking braces to visitors.
 */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(SLOT, (_, name: string) => values[name] ?? name);
}
