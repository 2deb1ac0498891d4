// The core-client ARM SDKs read a list page as `body.value ?? []`: a page that came back without its
// `value` array would silently count as "no registries here". For a credential monitor that is the
// worst outcome (a silent all-clear), so this policy turns such a page into an error for its scope.
import { RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";

export function malformedListPolicy(): PipelinePolicy {
  return {
    name: "credwatchMalformedListPolicy",
    async sendRequest(request, next) {
      const response = await next(request);
      if (request.method !== "GET" || response.status < 200 || response.status >= 300) return response;
      // The core-client SDKs have parsed the body already (parsedBody); the others have not.
      const parsed = (response as { parsedBody?: unknown }).parsedBody;
      const text = response.bodyAsText;
      if (parsed === undefined && (text === undefined || text === null)) return response;
      let body: unknown = parsed;
      if (parsed === undefined) {
        try {
          body = JSON.parse(text!);
        } catch {
          throw malformed(request.url, response.status, "the body is not valid JSON");
        }
      }
      // A single resource has an `id`; a list page must carry a `value` array.
      const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
      if (!isObject) throw malformed(request.url, response.status, "the body is not a JSON object");
      const record = body as Record<string, unknown>;
      if (typeof record.id !== "string" && !Array.isArray(record.value)) {
        throw malformed(request.url, response.status, "the page has no 'value' array");
      }
      return response;
    },
  };
}

function malformed(url: string, statusCode: number, why: string): RestError {
  const { origin, pathname } = new URL(url);
  return new RestError(`malformed response from ${origin}${pathname}: ${why}`, {
    code: "MalformedResponse",
    statusCode,
  });
}
