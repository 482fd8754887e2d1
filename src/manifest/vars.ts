/** `{{name}}` placeholders in prompts, replaced by the manifest's `vars:`. */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The names a prompt refers to, in order of appearance. */
export function varNames(prompt: string): string[] {
  return [...prompt.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** The prompt with every known `{{name}}` replaced; unknown ones are left (and reported). */
export function substituteVars(prompt: string, vars: Readonly<Record<string, string>>): string {
  if (!prompt.includes('{{')) return prompt;
  return prompt.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(vars, name) ? (vars[name] ?? whole) : whole));
}
