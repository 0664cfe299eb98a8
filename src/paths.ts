/** Where the package lives, so that relative settings (KNOWLEDGE_DIR, PROMPTS_DIR) work from any directory. */
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function fromPackageRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(PACKAGE_ROOT, path);
}
