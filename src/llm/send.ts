// One synchronous call to a provider, through the endpoint's concurrency limiter. The SDK has
// already retried what is worth retrying (429, 5xx, 529, timeouts) when an error reaches here;
// every failure leaves as a `teacher_error` naming the model, never a key. An empty answer is
// returned as is (it was paid for); the caller decides.
import type { Endpoint } from "./clients.ts";
import { describeError, stoppedError, teacherError } from "./errors.ts";
import type { Answer, WireRequest } from "./types.ts";
import { anthropicParams, fromAnthropic, fromOpenAI, openaiBody } from "./wire.ts";

export async function sendOne(endpoint: Endpoint, req: WireRequest, signal?: AbortSignal): Promise<Omit<Answer, "usd">> {
  const { spec, limiter } = endpoint;
  let answer: Omit<Answer, "usd">;
  try {
    answer = await limiter.run(async () => {
      const started = performance.now();
      if (endpoint.anthropic) {
        const msg = await endpoint.anthropic.messages.create(anthropicParams(req));
        return fromAnthropic(msg, Math.round(performance.now() - started), false);
      }
      const res = await endpoint.openai!.chat.completions.create(openaiBody(spec, req));
      return fromOpenAI(res, Math.round(performance.now() - started), false);
    }, signal);
  } catch (e) {
    if (signal?.aborted) throw stoppedError("the run is stopping");
    throw teacherError(`${spec.name} failed: ${describeError(e)}`, e);
  }
  return answer;
}
