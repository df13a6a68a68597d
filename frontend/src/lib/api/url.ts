/** True for an absolute http: or https: URL with a host: the only links handed to the browser
 * (a link from a server with file:, smb: or another app's scheme would open something else). */
export function isWebURL(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return false;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.host !== '' && u.username === '' && u.password === '';
}
