// The manifests' part in sign-in: Word/Excel declare WebApplicationInfo for the Office SSO fallback
// (its Resource names its Id); Outlook cannot under the 2020 schemas and says so in a comment.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const read = (name: string) => readFileSync(path.join(root, name), 'utf8');

test('manifest.xml declares WebApplicationInfo inside VersionOverrides, after Resources', () => {
  const xml = read('manifest.xml');
  const info =
    /<\/Resources>\s*(?:<!--[\s\S]*?-->\s*)?<WebApplicationInfo>\s*<Id>([0-9a-f-]{36})<\/Id>\s*<Resource>([^<]+)<\/Resource>\s*<Scopes>([\s\S]*?)<\/Scopes>\s*<\/WebApplicationInfo>\s*<\/VersionOverrides>/.exec(
      xml,
    );
  expect(info).not.toBeNull();
  const [, id, resource, scopes] = info ?? [];
  expect(resource).toBe(`api://localhost:3000/${id}`);
  expect([...(scopes ?? '').matchAll(/<Scope>([^<]+)<\/Scope>/g)].map((match) => match[1])).toEqual(['openid', 'profile']);
});

test('manifest.outlook.xml explains why it has no WebApplicationInfo element', () => {
  const xml = read('manifest.outlook.xml');
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  expect(withoutComments).not.toContain('<WebApplicationInfo>');
  expect(xml).toMatch(/<!-- WebApplicationInfo[\s\S]*2020\s+schemas[\s\S]*do\s+not\s+allow\s+it[\s\S]*-->/);
});
