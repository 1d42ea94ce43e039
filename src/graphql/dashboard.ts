/**
 * The fleet backup dashboard (web/, built by `npm run build:web` into web/dist/), served by the
 * gateway: `GET /` is its page (never cached: it names the current assets), `GET /assets/<file>`
 * its hashed bundles (cached for a year). Only files inside the dist folder are served; every
 * other request goes on to yoga (`/graphql`, `/health`, `/readiness`, `/metrics`). The page reads
 * nothing but the public `/graphql` endpoint.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/** web/dist/ of this checkout: two levels up from src/graphql (tsx) and from dist/graphql (compiled). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the page may load: its own scripts, styles and the API, nothing from elsewhere. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const NOT_BUILT = '<!doctype html><title>backupql</title><p>The dashboard is not built: run <code>npm run build:web</code>.</p>\n';

const NOT_FOUND = '<!doctype html><title>Not found</title><p>No such file.</p>\n';

/** One path segment of a built asset (`index-BtCads6v.js`): no separators, no dot files, no `..`. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function useDashboard(dir: string): Plugin {
  return {
    async onRequest(payload) {
      const { url, request, fetchAPI } = payload;
      const path = url.pathname;
      const isPage = path === '/' || path === '/index.html';
      if (!isPage && !path.startsWith('/assets/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const head = request.method === 'HEAD';
      const send = (status: number, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>) =>
        payload.endResponse(new fetchAPI.Response(head ? null : body, { status, headers: { 'x-content-type-options': 'nosniff', ...headers } }));
      const notFound = () => send(404, NOT_FOUND, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });

      if (isPage) {
        const file = await inside(dir, 'index.html');
        if (!file) {
          send(503, NOT_BUILT, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          return;
        }
        send(200, await read(file), {
          'content-type': CONTENT_TYPES['.html']!,
          'cache-control': 'no-cache',
          'content-security-policy': CSP,
          'referrer-policy': 'same-origin',
        });
        return;
      }

      // `..` segments are resolved by the URL parser already (`/assets/../x` is `/x`); what is left
      // must be one plain file name: encoded slashes, backslashes, NUL and dot files are refused.
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/assets/'.length));
      } catch {
        notFound();
        return;
      }
      if (!ASSET_NAME.test(name)) {
        notFound();
        return;
      }
      const file = await inside(dir, join('assets', name));
      if (!file) {
        notFound();
        return;
      }
      send(200, await read(file), {
        'content-type': CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'public, max-age=31536000, immutable',
      });
    },
  };
}

/** A file's bytes (copied out of Node's pooled buffer, as a Response body wants). */
async function read(file: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await readFile(file));
}

/** The real path of `relative` under `dir` when it is a regular file inside it (links followed and checked). */
async function inside(dir: string, relative: string): Promise<string | null> {
  try {
    const root = await realpath(dir);
    const file = await realpath(join(root, relative));
    if (!file.startsWith(root + sep)) return null;
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}
