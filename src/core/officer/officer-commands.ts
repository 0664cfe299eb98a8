/**
 * Officer commands in chat, for the accounts listed in OFFICER_IDS: /thongbao composes an announcement (text,
 * audience, preview with the number of recipients, confirmation) and /tiendo <id> reports a campaign's progress.
 * Anyone else who tries gets a polite refusal, and the attempt is logged.
 */
import type { CampaignReport, AnnouncementContent, Segment } from '../broadcast/types.js';
import type { InboundMessage, Reply } from '../conversation.js';
import type { Logger } from '../logger.js';
import { format, type Messages } from '../messages.js';
import type { CommuneDirectory } from '../registration/commune-directory.js';
import type { Input } from '../input.js';
import type { DraftStore } from '../registration/draft.js';
import type { OfficerDraft } from './officer-draft.js';

/** What the chat needs of the announcement service (the Broadcaster provides it). */
export interface Announcements {
  /** `preview`: the text as recipients will see it (sender line and footer included). */
  preview(content: AnnouncementContent, segment?: Segment): Promise<{ recipients: number; preview?: string }>;
  create(request: {
    content: AnnouncementContent;
    segment?: Segment;
    urgent?: boolean;
    createdBy: string;
  }): Promise<CampaignReport>;
  report(id: string): Promise<CampaignReport | undefined>;
}

export interface OfficerDeps {
  officerIds: readonly string[];
  /** Announcements being composed in chat, one per officer. */
  drafts: DraftStore<OfficerDraft>;
  announcements?: Announcements;
  messages: Messages;
  directory: CommuneDirectory;
  logger: Logger;
  now?: () => number;
}

export class OfficerCommands {
  private readonly m: Messages;
  private readonly officers: ReadonlySet<string>;

  constructor(private readonly deps: OfficerDeps) {
    this.m = deps.messages;
    this.officers = new Set(deps.officerIds);
  }

  isOfficer(msg: InboundMessage): boolean {
    return this.officers.has(`${msg.channel}:${msg.userId}`);
  }

  /** Replies when the message is an officer command or continues one; undefined to let the engine go on. */
  async handle(msg: InboundMessage, input: Input): Promise<Reply[] | undefined> {
    const request = input.reading?.request;
    const command = request?.kind === 'officer_broadcast' || request?.kind === 'officer_progress';
    const officer = this.isOfficer(msg);
    // Only an officer has drafts: nobody else's message costs a read (a command of theirs is refused below).
    if (!command && !officer) return undefined;
    const saved = officer ? await this.deps.drafts.get(msg.channel, msg.userId) : undefined;
    const state: { officer?: OfficerDraft } = { officer: saved ? structuredClone(saved) : undefined };
    const replies = await this.step(msg, input, state);
    if (JSON.stringify(state.officer) !== JSON.stringify(saved)) {
      if (state.officer) await this.deps.drafts.set(msg.channel, msg.userId, state.officer);
      else await this.deps.drafts.delete(msg.channel, msg.userId);
    }
    return replies;
  }

  private async step(
    msg: InboundMessage,
    input: Input,
    state: { officer?: OfficerDraft },
  ): Promise<Reply[] | undefined> {
    const request = input.reading?.request;
    if (request?.kind === 'officer_broadcast' || request?.kind === 'officer_progress') {
      if (!this.isOfficer(msg)) {
        this.deps.logger.warn(
          { event: 'officer_refused', channel: msg.channel, command: request.kind },
          'officer command refused',
        );
        return [{ text: this.m.officer_only }];
      }
      if (!this.deps.announcements) return [{ text: this.m.officer_unavailable }];
      if (request.kind === 'officer_progress') return this.progress(request.argument ?? '');
      state.officer = { step: 'text' };
      return [{ text: this.m.officer_ask_text }];
    }
    const draft = state.officer;
    if (!draft || !this.isOfficer(msg) || !this.deps.announcements) return undefined;
    if (input.payload === 'off:cancel' || request?.kind === 'cancel') {
      state.officer = undefined;
      return [{ text: this.m.officer_cancelled }];
    }
    switch (draft.step) {
      case 'text':
        if (input.text === undefined) return [{ text: this.m.officer_ask_text }];
        draft.text = input.text.trim();
        draft.step = 'audience';
        return [{ text: this.m.officer_ask_audience, buttons: this.audienceButtons() }];
      case 'audience':
        return this.audience(draft, input.payload);
      case 'communes':
        return input.text === undefined ? [{ text: this.m.officer_ask_communes }] : this.communes(draft, input.text);
      case 'confirm':
        return this.confirm(msg, draft, input.payload, state);
    }
  }

  private audienceButtons() {
    return [
      { label: this.m.officer_audience_all, value: 'off:all' },
      { label: this.m.officer_audience_telegram, value: 'off:telegram' },
      { label: this.m.officer_audience_zalo, value: 'off:zalo' },
      { label: this.m.officer_audience_communes, value: 'off:communes' },
    ];
  }

  private async audience(draft: OfficerDraft, payload: string | undefined): Promise<Reply[]> {
    if (payload === 'off:communes') {
      draft.step = 'communes';
      return [{ text: this.m.officer_ask_communes }];
    }
    const segments: Record<string, Segment | undefined> = {
      'off:all': undefined,
      'off:telegram': { channels: ['telegram'] },
      'off:zalo': { channels: ['zalo'] },
    };
    if (payload === undefined || !(payload in segments))
      return [{ text: this.m.officer_ask_audience, buttons: this.audienceButtons() }];
    draft.segment = segments[payload];
    return this.preview(draft);
  }

  private async communes(draft: OfficerDraft, text: string): Promise<Reply[]> {
    const names = text
      .split(/[,;\n]/)
      .map((n) => n.trim())
      .filter(Boolean);
    const found: string[] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const match = this.deps.directory.match(name);
      if (match.kind === 'exact') found.push(match.name);
      else unknown.push(name);
    }
    if (!found.length || unknown.length)
      return [
        { text: format(this.m.officer_unknown_communes, { names: (unknown.length ? unknown : names).join(', ') }) },
      ];
    draft.segment = { communes: found };
    return this.preview(draft);
  }

  private async preview(draft: OfficerDraft): Promise<Reply[]> {
    const { recipients, preview } = await this.deps.announcements!.preview({ text: draft.text! }, draft.segment);
    draft.step = 'confirm';
    const audience = draft.segment?.communes
      ? format(this.m.officer_preview_communes, { communes: draft.segment.communes.join(', ') })
      : '';
    return [
      {
        text: format(this.m.officer_preview, { count: recipients, audience, text: preview ?? draft.text! }),
        buttons: [
          { label: this.m.officer_send, value: 'off:send' },
          { label: this.m.officer_send_urgent, value: 'off:urgent' },
          { label: this.m.officer_cancel, value: 'off:cancel' },
        ],
      },
    ];
  }

  private async confirm(
    msg: InboundMessage,
    draft: OfficerDraft,
    payload: string | undefined,
    state: { officer?: OfficerDraft },
  ): Promise<Reply[]> {
    const urgent = payload === 'off:urgent';
    if (!urgent && payload !== 'off:send') return this.preview(draft);
    const report = await this.deps.announcements!.create({
      content: { text: draft.text! },
      ...(draft.segment ? { segment: draft.segment } : {}),
      urgent,
      createdBy: `${msg.channel}:${msg.userId}`,
    });
    state.officer = undefined;
    this.deps.logger.info(
      { event: 'campaign_by_chat', campaign: report.id, channel: msg.channel },
      'announcement created in chat',
    );
    const now = (this.deps.now ?? Date.now)();
    const later =
      report.startAt > now + 1000
        ? format(this.m.officer_created_later, {
            time: new Date(report.startAt).toLocaleString('vi-VN', {
              timeZone: 'Asia/Ho_Chi_Minh',
              hour: '2-digit',
              minute: '2-digit',
              day: '2-digit',
              month: '2-digit',
            }),
          })
        : '';
    return [{ text: format(this.m.officer_created, { id: report.id, count: report.total, later }) }];
  }

  private async progress(id: string): Promise<Reply[]> {
    const r = id ? await this.deps.announcements!.report(id.toUpperCase()) : undefined;
    if (!r) return [{ text: format(this.m.officer_not_found, { id: id || '?' }) }];
    return [
      {
        text: format(this.m.officer_progress, {
          id: r.id,
          status: this.m.campaign_status_labels[r.status],
          total: r.total,
          sent: r.sent,
          failed: r.failed,
          blocked: r.blocked,
          inDoubt: r.inDoubt,
          pending: r.pending,
        }),
      },
    ];
  }
}
