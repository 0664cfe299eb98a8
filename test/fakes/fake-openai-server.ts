/**
 * A local HTTP server that speaks the OpenAI chat-completions protocol (POST /v1/chat/completions), for
 * driving LangChain's real client without a network. Each test decides what the "model" answers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  authorization?: string;
}

export type Respond = (req: ChatRequest) => { content?: string; status?: number; delayMs?: number };

export interface FakeOpenAi {
  baseURL: string;
  requests: ChatRequest[];
  respond: Respond;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAi(respond: Respond): Promise<FakeOpenAi> {
  const state: FakeOpenAi = { baseURL: '', requests: [], respond, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const parsed = JSON.parse(await body(req)) as ChatRequest;
    parsed.authorization = req.headers.authorization;
    state.requests.push(parsed);
    const { content = '', status = 200, delayMs = 0 } = state.respond(parsed);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (status !== 200) {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${state.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: parsed.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
