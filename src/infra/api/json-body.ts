/**
 * The JSON body parser: fastify's own (it refuses `__proto__` and `constructor.prototype` keys), except
 * that an empty body reads as "no body", so `POST /v1/tasks/:id/cancel` with a JSON content type and
 * nothing else means "no reason" instead of a parse error.
 */
import type { FastifyInstance } from 'fastify';

/** Replaces the application/json parser of `app`. */
export function acceptJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
