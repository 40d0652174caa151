// Security headers for the pane and the API. Office on the web shows the task pane in an iframe,
// so framing is limited with CSP frame-ancestors to Office's own origins instead of X-Frame-Options.
// Responses are same-origin resources (Cross-Origin-Resource-Policy), except the icons under /assets.
import type { FastifyHelmetOptions } from '@fastify/helmet';

const officeFrameAncestors = [
  "'self'",
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.officeapps.live.com',
  'https://*.microsoft.com',
  'https://*.sharepoint.com',
  'https://*.live.com',
  'https://*.cloud.microsoft',
];

export function securityHeaders(): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        // office.js comes from Microsoft's CDN in production (AppSource requires it).
        'script-src': ["'self'", 'https://appsforoffice.microsoft.com'],
        // Fluent UI's CSS-in-JS inserts style rules at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        // MSAL's token requests outside Office (the browser preview's popup sign-in).
        'connect-src': ["'self'", 'https://appsforoffice.microsoft.com', 'https://login.microsoftonline.com'],
        'frame-ancestors': officeFrameAncestors,
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
      },
    },
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    // The API and the pane are for the pane's own origin; /assets opts out (allowCrossOriginAsset).
    crossOriginResourcePolicy: { policy: 'same-origin' },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  };
}

/**
 * Headers for the icons under /assets, which the manifests name: Office on the web shows them in its
 * own pages (the ribbon, the add-in dialogs), another origin, and loads them in CORS mode, so they
 * must be readable cross-origin. They are public images, sent without credentials, so `*` is safe.
 * A setHeaders hook of @fastify/static: it runs after helmet's headers and replaces its same-origin.
 */
export function allowCrossOriginAsset(response: { setHeader(name: string, value: string): unknown }): void {
  response.setHeader('cross-origin-resource-policy', 'cross-origin');
  response.setHeader('access-control-allow-origin', '*');
}
