/** What the officer console needs to offer choices: communes, product groups, statuses, channels. */
import type { FastifyInstance } from 'fastify';
import { BROADCAST_CHANNELS } from '../core/broadcast/types.js';
import type { ProductClassifier } from '../core/knowledge/classifier.js';
import type { Messages } from '../core/messages.js';
import { SUBMISSION_STATUSES } from '../core/registration/types.js';
import type { CommuneDirectory } from '../core/registration/commune-directory.js';

export function registerMetaApi(
  api: FastifyInstance,
  deps: { directory: CommuneDirectory; classifier?: ProductClassifier; messages: Messages },
): void {
  const body = {
    communes: deps.directory.listAll(),
    groups: (deps.classifier?.categories ?? []).map((c) => ({
      code: c.code,
      label: `${c.code} — ${c.sector} › ${c.subgroup}`,
    })),
    statuses: SUBMISSION_STATUSES.map((code) => ({ code, label: deps.messages.status_labels[code] })),
    channels: [...BROADCAST_CHANNELS],
  };
  // A commune officer is offered their own communes only (filters, announcement audiences).
  api.get('/meta', async (req) =>
    req.officer?.role === 'commune'
      ? { ...body, communes: body.communes.filter((c) => req.officer!.communes.includes(c)) }
      : body,
  );
}
