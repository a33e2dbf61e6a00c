/**
 * A client of botsync's HTTP API typed from the same route definitions the server validates with: the
 * input a route takes and the answer it gives are the route's own schemas, and the answer is parsed with
 * its response schema, so a server that answers something else fails loudly here instead of downstream.
 */
import type { z } from "@hono/zod-openapi";
import { BotsyncError, type ErrorCode } from "../../core/errors.js";

interface JsonRouteShape {
  method: string;
  path: string;
  request?: unknown;
  responses: { 200: { content: { "application/json": { schema: z.ZodType } } } };
}

type ParamsOf<R> = R extends { request?: { params?: infer P } } ? (P extends z.ZodType ? { params: z.input<P> } : unknown) : unknown;
type QueryOf<R> = R extends { request?: { query?: infer Q } } ? (Q extends z.ZodType ? { query?: z.input<Q> } : unknown) : unknown;
type BodyOf<R> = R extends { request?: { body?: { content: { "application/json": { schema: infer B } } } } }
  ? B extends z.ZodType
    ? { body: z.input<B> }
    : unknown
  : unknown;

export type RouteInput<R> = ParamsOf<R> & QueryOf<R> & BodyOf<R>;
export type RouteOutput<R extends JsonRouteShape> = z.output<R["responses"][200]["content"]["application/json"]["schema"]>;

export class ApiClient {
  constructor(private readonly connection: { url: string; token: string }) {}

  async call<R extends JsonRouteShape>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
    const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    const path = route.path.replace(/{(\w+)}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? "")));
    const url = new URL(path, this.connection.url);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const method = route.method.toUpperCase();
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.connection.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
    if (!res.ok) {
      throw new BotsyncError(json?.error?.code ?? "INTERNAL", `${method} ${url.pathname} → ${res.status}: ${json?.error?.message ?? res.statusText}`);
    }
    const parsed = route.responses[200].content["application/json"].schema.safeParse(json);
    if (!parsed.success) {
      throw new BotsyncError("INTERNAL", `${method} ${url.pathname}: the answer does not match this client's schema (a different botsync version?)`);
    }
    return parsed.data as RouteOutput<R>;
  }
}
