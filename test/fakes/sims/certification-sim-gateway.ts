/**
 * WSO2 API gateway error bodies for the Certification simulator (reference §3.3, §6.3), in the three
 * forms real gateways use: flat JSON (APIM 3.x/4.x), the older `{"fault": {…}}` wrapper with a
 * numeric code, and XML `<ams:fault>`.
 */

const ACCESS_FAILURE = (code: string, message: string) =>
  `Access failure for API: /api/admin/v1.1.0, version: v1.1.0 status: (${code}) - ${message}`;

export const GATEWAY_ERRORS = {
  '900800': { status: 429, message: 'Message throttled out', description: 'You have exceeded your quota' },
  '900901': {
    status: 401,
    message: 'Invalid Credentials',
    description: `${ACCESS_FAILURE('900901', 'Invalid Credentials')}. Make sure you have provided the correct security credentials`,
  },
  '900902': {
    status: 401,
    message: 'Missing Credentials',
    description:
      "Required OAuth credentials not provided. Make sure your API invocation call has a header: 'Authorization: Bearer ACCESS_TOKEN'",
  },
  '900903': {
    status: 401,
    message: 'Access Token Expired',
    description: `${ACCESS_FAILURE('900903', 'Access Token Expired')}. Renew the access token and try again`,
  },
  '900906': {
    status: 404,
    message: 'No matching resource found for given API Request',
    description: ACCESS_FAILURE('900906', 'No matching resource found for given API Request'),
  },
  '900908': {
    status: 403,
    message: 'Resource forbidden',
    description: ACCESS_FAILURE('900908', 'Resource forbidden'),
  },
  '900910': {
    status: 403,
    message: 'The access token does not allow you to access the requested resource',
    description: ACCESS_FAILURE(
      '900910',
      'The access token does not allow you to access the requested resource',
    ),
  },
} as const;
export type GatewayCode = keyof typeof GATEWAY_ERRORS;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** WSO2's format: "2025-Jun-26 04:00:00+0000 UTC". */
export function nextAccessTime(at: Date): string {
  return `${at.getUTCFullYear()}-${MONTHS[at.getUTCMonth()]}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(
    at.getUTCMinutes(),
  )}:${two(at.getUTCSeconds())}+0000 UTC`;
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

export function gatewayError(
  code: GatewayCode,
  style: 'json' | 'fault' | 'xml',
  notFoundStatus: 404 | 400,
  extra: { nextAccessTime?: string } = {},
): { status: number; body: string; contentType: string } {
  const e = GATEWAY_ERRORS[code];
  const status = code === '900906' ? notFoundStatus : e.status;
  const fields = { message: e.message, description: e.description, ...extra };
  if (style === 'xml') {
    const inner = Object.entries({ code, ...fields })
      .map(([k, v]) => `<ams:${k}>${xmlEscape(v)}</ams:${k}>`)
      .join('');
    return {
      status,
      contentType: 'application/xml',
      body: `<ams:fault xmlns:ams="http://wso2.org/apimanager/security">${inner}</ams:fault>`,
    };
  }
  const body = style === 'fault' ? { fault: { code: Number(code), ...fields } } : { code, ...fields };
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}
