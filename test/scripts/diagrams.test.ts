import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowRegistry } from '../../flows/index.js';
import { writeDiagrams } from '../../scripts/diagrams.js';

describe('npm run diagrams', () => {
  it('writes a Mermaid state diagram for the root and every registered flow, and an index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnipay-diagrams-'));
    const files = writeDiagrams(dir);
    expect(files.length).toBe(flowRegistry.length + 2);
    for (const f of flowRegistry) {
      const text = readFileSync(join(dir, `${f.id}.md`), 'utf8');
      expect(text).toContain('```mermaid\nstateDiagram-v2');
      expect(text).toMatch(/\[\*\] --> \w+/);
      expect(text).toContain(`/${f.id}`);
    }
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const f of flowRegistry) expect(index).toContain(`(${f.id}.md)`);
  });
});
