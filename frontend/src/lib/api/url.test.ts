import { describe, expect, it } from 'vitest';
import { isWebURL } from './url';

describe('isWebURL', () => {
  it('accepts web pages only', () => {
    for (const u of ['https://mastodon.social/@sol/1', 'http://localhost:8080/x', 'HTTPS://X.COM/a']) expect(isWebURL(u), u).toBe(true);
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'mailto:a@b.c', 'data:text/html,x', 'vscode://open', '/media/view/1', '', 'https://user:pw@x.com/'])
      expect(isWebURL(u), u).toBe(false);
  });
});
