// A typed client of the suite's REST API. The types (schema.d.ts) are generated from openapi.yaml by
// openapi-typescript (`npm run generate`); the calls go through openapi-fetch. Copy this folder into a front end.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type ApiError = components["schemas"]["Error"];

/** A client for `baseUrl` (e.g. http://127.0.0.1:3000); `token()` gives the Cognito ID token, if any. */
export function createSuiteClient(baseUrl: string, token: () => string | undefined = () => undefined) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const t = token();
      if (t) {
        request.headers.set("Authorization", `Bearer ${t}`);
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}
