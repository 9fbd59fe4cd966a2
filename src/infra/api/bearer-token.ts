/**
 * The API token: mutating requests (anything but GET/HEAD/OPTIONS) need `Authorization: Bearer <token>`
 * when a token is configured; reads stay open (the threat model: anyone who can reach the API may
 * look, only holders of the token may change anything).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from './problem.ts';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Does `presented` equal `expected`, in time that does not depend on where they differ or on the
 * length of either? Both are hashed first, so timingSafeEqual always compares two equal-length digests.
 */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined for anything else. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** An onRequest hook that refuses mutating requests without the token; no hook work without a token. */
export function requireToken(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (token === undefined || READ_METHODS.has(request.method)) return undefined;
    const presented = bearerTokenOf(request.headers.authorization);
    if (presented !== undefined && tokenMatches(token, presented)) return undefined;
    const message =
      presented === undefined ? 'this request needs Authorization: Bearer <token>' : 'the token is not valid';
    const problem = new ApiProblem(401, 'unauthorized', message, [{ field: 'authorization', message }]);
    // Answered here, before the body is read: an unauthenticated client cannot make us parse a large body.
    return reply.code(401).header('www-authenticate', 'Bearer').send(problem.body(request.id));
  };
}
