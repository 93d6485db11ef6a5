/**
 * The console's translations: one folder per language, one file per area (`web/locales/<lang>/<area>.json`,
 * each owning its own top-level keys), merged here. Areas are built side by side, so no two of them
 * share a translation file.
 */
type Tree = Record<string, unknown>;

const files = import.meta.glob<Tree>('../../locales/*/*.json', { eager: true, import: 'default' });

function merge(lang: string): Tree {
  const out: Tree = {};
  for (const [file, tree] of Object.entries(files)) {
    if (!file.includes(`/locales/${lang}/`)) continue;
    for (const [key, value] of Object.entries(tree)) {
      if (key in out) throw new Error(`translation key ${key} is defined twice for ${lang} (${file})`);
      out[key] = value;
    }
  }
  return out;
}

export const en = merge('en');
export const es = merge('es');
export const pt = merge('pt');
