/**
 * The wire side of the fake AWS endpoint (test/support/fake-aws.ts): which
 * service and operation a request is, its parameters, and how a reply is
 * written, all read from botocore's own service models, the ones the real
 * AWS CLI v2 (Debian package awscli) parses its answers with. Nothing here
 * knows a service's behaviour; that is in fake-aws-services.ts.
 *
 * Protocols: json (X-Amz-Target), query (Action form field), rest-json and
 * rest-xml (method + path + query + headers matched against the model's
 * requestUri templates, the most specific match winning, so S3's PutObject,
 * UploadPart and CopyObject on one path are told apart by their required
 * query members and headers).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------- models

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string };
  timestampFormat?: string;
  streaming?: boolean;
}

export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  flattened?: boolean;
  locationName?: string;
  payload?: string;
  required?: string[];
  timestampFormat?: string;
  streaming?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
}

export interface ServiceModel {
  metadata: {
    protocol: 'json' | 'rest-json' | 'rest-xml' | 'query' | 'ec2';
    endpointPrefix: string;
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    xmlNamespace?: string;
    serviceId: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** Where botocore's data directory may be (Debian's awscli package first). */
const MODEL_DIRS = [
  '/usr/lib/python3/dist-packages/awscli/botocore/data',
  '/usr/share/awscli/awscli/botocore/data',
  '/usr/local/aws-cli/v2/current/dist/awscli/botocore/data',
];

export function findModelsDir(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return MODEL_DIRS.find((d) => existsSync(join(d, 'sts')));
}

const modelCache = new Map<string, ServiceModel | null>();

/** The model of the service that signs as `name` (lambda, s3, ecr, ...), newest API version. */
export function loadModel(modelsDir: string, name: string): ServiceModel | undefined {
  const cacheKey = `${modelsDir}\0${name}`;
  if (modelCache.has(cacheKey)) return modelCache.get(cacheKey) ?? undefined;
  let model: ServiceModel | undefined;
  const read = (dir: string): ServiceModel | undefined => {
    if (!existsSync(dir)) return undefined;
    const versions = readdirSync(dir).filter((v) => existsSync(join(dir, v, 'service-2.json'))).sort();
    if (versions.length === 0) return undefined;
    return JSON.parse(readFileSync(join(dir, versions[versions.length - 1], 'service-2.json'), 'utf8'));
  };
  model = read(join(modelsDir, name));
  if (!model) {
    // A signing name that is not the directory's name (rare): look through every model's metadata.
    for (const dir of readdirSync(modelsDir)) {
      const m = read(join(modelsDir, dir));
      if (m && (m.metadata.signingName === name || m.metadata.endpointPrefix === name)) {
        model = m;
        break;
      }
    }
  }
  modelCache.set(cacheKey, model ?? null);
  return model;
}

// ---------------------------------------------------------------- requests

export interface RawRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The service in the SigV4 credential scope: `Credential=AKID/20240101/us-east-1/lambda/aws4_request`. */
export function signingScope(headers: Record<string, string>): { service?: string; region?: string } {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  return m ? { region: m[1], service: m[2] } : {};
}

function splitPath(path: string): { pathname: string; query: URLSearchParams } {
  const q = path.indexOf('?');
  return q < 0
    ? { pathname: path, query: new URLSearchParams() }
    : { pathname: path.slice(0, q), query: new URLSearchParams(path.slice(q + 1)) };
}

interface Route {
  operation: string;
  method: string;
  regex: RegExp;
  labels: string[];
  literalQuery: [string, string | undefined][];
  literalLength: number;
  required: { location: string; name: string }[];
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

function routesOf(model: ServiceModel): Route[] {
  let routes = routeCache.get(model);
  if (routes) return routes;
  routes = [];
  for (const [operation, op] of Object.entries(model.operations)) {
    const [tpl, qs] = op.http.requestUri.split('?');
    const labels: string[] = [];
    let literalLength = 0;
    const trimmed = tpl.length > 1 ? tpl.replace(/\/+$/, '') : tpl;
    const source = trimmed.replace(/\{([^}]+)\}|[^{]+/g, (part, label?: string) => {
      if (!label) {
        literalLength += part.length;
        return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      }
      const greedy = label.endsWith('+');
      labels.push(greedy ? label.slice(0, -1) : label);
      return greedy ? '(.+)' : '([^/]+)';
    });
    const greedyEnd = /\+\}$/.test(trimmed);
    const regex = new RegExp(`^${source}${greedyEnd || trimmed === '/' ? '' : '/?'}$`);
    const literalQuery: [string, string | undefined][] = [];
    for (const pair of (qs ?? '').split('&').filter(Boolean)) {
      const [k, v] = pair.split('=');
      literalQuery.push([k, v]);
    }
    const input = op.input ? model.shapes[op.input.shape] : undefined;
    const required: Route['required'] = [];
    for (const name of input?.required ?? []) {
      const m = input?.members?.[name];
      if (m && (m.location === 'querystring' || m.location === 'header')) {
        required.push({ location: m.location, name: m.locationName ?? name });
      }
    }
    routes.push({ operation, method: op.http.method, regex, labels, literalQuery, literalLength, required });
  }
  routeCache.set(model, routes);
  return routes;
}

/** The REST operation a request is: the matching route with the most literal query keys, required members and literal path. */
export function matchRestOperation(model: ServiceModel, req: RawRequest): { operation: string; labels: Record<string, string> } | undefined {
  const { pathname, query } = splitPath(req.path);
  let best: { operation: string; labels: Record<string, string>; score: number } | undefined;
  for (const r of routesOf(model)) {
    if (r.method !== req.method) continue;
    const m = r.regex.exec(pathname);
    if (!m) continue;
    if (!r.literalQuery.every(([k, v]) => query.has(k) && (v === undefined || query.get(k) === v))) continue;
    if (!r.required.every((x) => (x.location === 'header' ? req.headers[x.name.toLowerCase()] !== undefined : query.has(x.name)))) continue;
    const score = (r.literalQuery.length + r.required.length) * 1000 + r.literalLength;
    if (!best || score > best.score) {
      const labels: Record<string, string> = {};
      r.labels.forEach((l, i) => (labels[l] = decodeURIComponent(m[i + 1])));
      best = { operation: r.operation, labels, score };
    }
  }
  return best && { operation: best.operation, labels: best.labels };
}

export interface Identified {
  service: string;
  operation: string;
  model?: ServiceModel;
  params: any;
}

/** Service (from the signature, else guessed), operation and parameters of a request. */
export function identify(modelsDir: string, req: RawRequest): Identified {
  const target = req.headers['x-amz-target'];
  const contentType = req.headers['content-type'] ?? '';
  const form = contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body.toString('utf8')) : undefined;
  let service = signingScope(req.headers).service;
  if (!service) {
    // Unsigned (--no-sign-request): guess from the request's shape.
    if (target?.startsWith('CodeDeploy_')) service = 'codedeploy';
    else if (target?.startsWith('AmazonEC2ContainerServiceV')) service = 'ecs';
    else if (target?.startsWith('AmazonEC2ContainerRegistry_')) service = 'ecr';
    else if (form?.get('Action') === 'GetCallerIdentity' || form?.get('Action') === 'AssumeRole') service = 'sts';
    else if (form?.get('Action')) service = 'cloudformation';
    else if (req.path.startsWith('/20') && req.path.includes('/functions')) service = 'lambda';
    else if (req.path.startsWith('/2020-05-31/')) service = 'cloudfront';
    else service = 's3';
  }
  const model = loadModel(modelsDir, service);
  if (!model) return { service, operation: target?.split('.').pop() ?? form?.get('Action') ?? `${req.method} ${req.path}`, params: {} };
  const protocol = model.metadata.protocol;
  if (protocol === 'json') {
    const operation = target?.split('.').pop() ?? 'Unknown';
    return { service, operation, model, params: parseJson(req.body) };
  }
  if (protocol === 'query' || protocol === 'ec2') {
    const all = new URLSearchParams(splitPath(req.path).query);
    form?.forEach((v, k) => all.append(k, v));
    const params: Record<string, string> = {};
    all.forEach((v, k) => {
      if (k !== 'Action' && k !== 'Version') params[k] = v;
    });
    return { service, operation: all.get('Action') ?? 'Unknown', model, params };
  }
  const match = matchRestOperation(model, req);
  if (!match) return { service, operation: `${req.method} ${splitPath(req.path).pathname}`, model, params: {} };
  return { service, operation: match.operation, model, params: restParams(model, match.operation, match.labels, req) };
}

function parseJson(body: Buffer): any {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { __unparsedBody: text };
  }
}

function scalar(model: ServiceModel, shapeName: string, text: string): any {
  const type = model.shapes[shapeName]?.type;
  if (type === 'integer' || type === 'long' || type === 'float' || type === 'double') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

function restParams(model: ServiceModel, operation: string, labels: Record<string, string>, req: RawRequest): any {
  const op = model.operations[operation];
  const input = op.input ? model.shapes[op.input.shape] : undefined;
  const params: any = {};
  if (!input?.members) return params;
  const { query } = splitPath(req.path);
  for (const [name, m] of Object.entries(input.members)) {
    const wire = m.locationName ?? name;
    if (m.location === 'uri' && labels[wire] !== undefined) {params[name] = labels[wire];} else if (m.location === 'querystring') {
      const target = model.shapes[m.shape];
      if (target?.type === 'list' && query.has(wire)) params[name] = query.getAll(wire);
      else if (query.has(wire)) params[name] = scalar(model, m.shape, query.get(wire)!);
    } else if (m.location === 'header') {
      const v = req.headers[wire.toLowerCase()];
      if (v !== undefined) params[name] = scalar(model, m.shape, v);
    } else if (m.location === 'headers') {
      const prefix = wire.toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (k.startsWith(prefix)) map[k.slice(prefix.length)] = v;
      if (Object.keys(map).length) params[name] = map;
    }
  }
  const payload = input.payload;
  if (payload) {
    const m = input.members[payload];
    const target = model.shapes[m.shape];
    if (target?.type === 'structure') {
      if (req.body.length) {
        params[payload] =
          model.metadata.protocol === 'rest-xml' ? xmlToValue(model, parseXml(req.body.toString('utf8')), m.shape) : parseJson(req.body);
      }
    } else if (req.body.length || target?.type === 'blob') {
      params[payload] = target?.type === 'string' ? req.body.toString('utf8') : req.body;
    }
  } else if (req.body.length) {
    if (model.metadata.protocol === 'rest-json') Object.assign(params, parseJson(req.body));
    else Object.assign(params, xmlToValue(model, parseXml(req.body.toString('utf8')), op.input!.shape));
  }
  return params;
}

// ---------------------------------------------------------------- XML in

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? all),
  );
}

/** A small XML reader, enough for AWS request bodies. The root element is returned. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {top.text += m[1];} else if (m[6] !== undefined) {top.text += decodeEntities(m[6]);} else if (m[3] !== undefined) {
      if (m[2] === '/') {
        stack.pop();
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
      const el: XmlElement = { name: m[3].replace(/^.*:/, ''), attrs, children: [], text: '' };
      top.children.push(el);
      if (m[5] !== '/') stack.push(el);
    }
  }
  return root.children[0] ?? root;
}

/** An XML element read as the model's shape says (lists flattened or wrapped, numbers, booleans). */
export function xmlToValue(model: ServiceModel, el: XmlElement, shapeName: string): any {
  const shape = model.shapes[shapeName];
  switch (shape?.type) {
    case 'structure': {
      const out: any = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        if (m.location) continue;
        const wire = m.locationName ?? name;
        const target = model.shapes[m.shape];
        if (target?.type === 'list' && (m.flattened || target.flattened)) {
          const items = el.children.filter((c) => c.name === wire);
          if (items.length) out[name] = items.map((c) => xmlToValue(model, c, target.member!.shape));
        } else {
          const child = el.children.find((c) => c.name === wire);
          if (child) out[name] = xmlToValue(model, child, m.shape);
        }
      }
      return out;
    }
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member';
      return el.children.filter((c) => c.name === itemName).map((c) => xmlToValue(model, c, shape.member!.shape));
    }
    case 'map': {
      const out: Record<string, any> = {};
      const entries = shape.flattened ? [el] : el.children.filter((c) => c.name === 'entry');
      for (const e of entries) {
        const k = e.children.find((c) => c.name === (shape.key!.locationName ?? 'key'));
        const v = e.children.find((c) => c.name === (shape.value!.locationName ?? 'value'));
        if (k) out[k.text] = v ? xmlToValue(model, v, shape.value!.shape) : undefined;
      }
      return out;
    }
    case 'blob':
      return Buffer.from(el.text, 'base64');
    default:
      return scalar(model, shapeName, el.text);
  }
}

// ---------------------------------------------------------------- replies

export interface WireReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra fields of the error body (json protocols). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : new Date(String(v));
}

/** JSON protocols: Dates as epoch seconds, Buffers as base64. */
function jsonReady(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(jsonReady);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonReady(x);
    return out;
  }
  return v;
}

function xmlScalar(model: ServiceModel, shapeName: string, v: unknown): string {
  const type = model.shapes[shapeName]?.type;
  if (type === 'timestamp') return toDate(v).toISOString();
  if (type === 'blob') return Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64');
  return escapeXml(String(v));
}

/** The children of an element of shape `shapeName` holding `value`. */
function xmlBody(model: ServiceModel, shapeName: string, value: any): string {
  const shape = model.shapes[shapeName];
  if (!shape) return escapeXml(String(value));
  if (shape.type === 'structure') {
    let out = '';
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const v = value?.[name];
      if (v === undefined || v === null || m.location || m.xmlAttribute) continue;
      const wire = m.locationName ?? name;
      const target = model.shapes[m.shape];
      if (target?.type === 'list' && (m.flattened || target.flattened)) {
        for (const item of v as unknown[]) out += `<${wire}>${xmlBody(model, target.member!.shape, item)}</${wire}>`;
      } else {out += `<${wire}>${xmlBody(model, m.shape, v)}</${wire}>`;}
    }
    return out;
  }
  if (shape.type === 'list') {
    const item = shape.member!.locationName ?? 'member';
    return (value as unknown[]).map((x) => `<${item}>${xmlBody(model, shape.member!.shape, x)}</${item}>`).join('');
  }
  if (shape.type === 'map') {
    const k = shape.key!.locationName ?? 'key';
    const vn = shape.value!.locationName ?? 'value';
    return Object.entries(value as Record<string, unknown>)
      .map(([key, x]) => `<entry><${k}>${escapeXml(key)}</${k}><${vn}>${xmlBody(model, shape.value!.shape, x)}</${vn}></entry>`)
      .join('');
  }
  return xmlScalar(model, shapeName, value);
}

function headerValue(model: ServiceModel, m: MemberRef, v: unknown): string {
  const type = model.shapes[m.shape]?.type;
  if (type === 'timestamp') return toDate(v).toUTCString();
  if (type === 'jsonvalue' || (model.shapes[m.shape] as any)?.jsonvalue) return Buffer.from(JSON.stringify(v)).toString('base64');
  return String(v);
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A successful reply: `output` holds the operation's output members by their model names. */
export function serializeOutput(model: ServiceModel, operation: string, output: any, requestId: string): WireReply {
  const op = model.operations[operation];
  const protocol = model.metadata.protocol;
  const headers: Record<string, string> = {};
  let status = op.http.responseCode ?? 200;
  if (protocol === 'json') {
    headers['content-type'] = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`;
    headers['x-amzn-requestid'] = requestId;
    return { status: 200, headers, body: Buffer.from(JSON.stringify(jsonReady(output ?? {}))) };
  }
  const outName = op.output?.shape;
  const shape = outName ? model.shapes[outName] : undefined;
  if (protocol === 'query' || protocol === 'ec2') {
    headers['content-type'] = 'text/xml';
    headers['x-amzn-requestid'] = requestId;
    const ns = model.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
    const inner = outName ? xmlBody(model, outName, output ?? {}) : '';
    const wrapper = op.output?.resultWrapper;
    const result = wrapper ? `<${wrapper}>${inner}</${wrapper}>` : inner;
    return {
      status: 200,
      headers,
      body: Buffer.from(`${XML_DECL}<${operation}Response${ns}>${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`),
    };
  }
  // rest-json / rest-xml
  headers['x-amzn-requestid'] = requestId;
  if (model.metadata.endpointPrefix === 's3') headers['x-amz-request-id'] = requestId;
  const rest: any = {};
  for (const [name, v] of Object.entries(output ?? {})) {
    const m = shape?.members?.[name];
    if (v === undefined || v === null) continue;
    if (m?.location === 'header') headers[(m.locationName ?? name).toLowerCase()] = headerValue(model, m, v);
    else if (m?.location === 'headers') for (const [k, x] of Object.entries(v as object)) headers[`${m.locationName ?? ''}${k}`.toLowerCase()] = String(x);
    else if (m?.location === 'statusCode') status = Number(v);
    else rest[name] = v;
  }
  const payload = shape?.payload;
  if (payload) {
    const m = shape!.members![payload];
    const target = model.shapes[m.shape];
    const v = rest[payload];
    if (target?.type === 'structure') {
      if (v === undefined) return { status, headers, body: Buffer.alloc(0) };
      if (protocol === 'rest-json') {
        headers['content-type'] = 'application/json';
        return { status, headers, body: Buffer.from(JSON.stringify(jsonReady(v))) };
      }
      const name = m.locationName ?? target.locationName ?? payload;
      const ns = m.xmlNamespace?.uri ?? (target as any).xmlNamespace?.uri;
      headers['content-type'] = 'text/xml';
      return { status, headers, body: Buffer.from(`${XML_DECL}<${name}${ns ? ` xmlns="${ns}"` : ''}>${xmlBody(model, m.shape, v)}</${name}>`) };
    }
    const body = v === undefined ? Buffer.alloc(0) : Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
    return { status, headers, body };
  }
  if (protocol === 'rest-json') {
    headers['content-type'] = 'application/json';
    return { status, headers, body: Buffer.from(JSON.stringify(jsonReady(rest))) };
  }
  if (!outName || Object.keys(rest).length === 0) return { status, headers, body: Buffer.alloc(0) };
  const root = shape?.locationName ?? outName.replace(/Output$|Result$/, '') + 'Result';
  const ns = model.metadata.endpointPrefix === 's3' ? 'http://s3.amazonaws.com/doc/2006-03-01/' : model.metadata.xmlNamespace;
  headers['content-type'] = 'application/xml';
  return { status, headers, body: Buffer.from(`${XML_DECL}<${root}${ns ? ` xmlns="${ns}"` : ''}>${xmlBody(model, outName, rest)}</${root}>`) };
}

/** An error reply in the protocol's own error format. `protocol` undefined: a service with no model. */
export function serializeError(model: ServiceModel | undefined, err: AwsError, requestId: string, method: string): WireReply {
  const protocol = model?.metadata.protocol ?? 'json';
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  let body: string;
  if (protocol === 'json') {
    headers['content-type'] = `application/x-amz-json-${model?.metadata.jsonVersion ?? '1.1'}`;
    body = JSON.stringify({ __type: err.code, message: err.message, ...err.fields });
  } else if (protocol === 'rest-json') {
    headers['content-type'] = 'application/json';
    headers['x-amzn-errortype'] = err.code;
    body = JSON.stringify({ Type: err.status >= 500 ? 'Service' : 'User', message: err.message, ...err.fields });
  } else if (model?.metadata.endpointPrefix === 's3') {
    headers['content-type'] = 'application/xml';
    headers['x-amz-request-id'] = requestId;
    const extra = Object.entries(err.fields)
      .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
      .join('');
    body = `${XML_DECL}<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
  } else {
    headers['content-type'] = 'text/xml';
    const ns = model?.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
    body = `${XML_DECL}<ErrorResponse${ns}><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  }
  return { status: err.status, headers, body: method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(body) };
}
