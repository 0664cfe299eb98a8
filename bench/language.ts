/**
 * The language benchmark: every labelled set, tuning and held-out side by side, per way of typing, and on the
 * held-out questions the plain baseline (MiniSearch with default options over the same passages, answering with
 * the first 700 characters of its best passage) in the same run.
 */
import MiniSearch from 'minisearch';
import type { App } from '../src/app.js';
import type { Answerer } from '../src/core/knowledge/answerer.js';
import type { Passage } from '../src/core/knowledge/knowledge-base.js';
import { gradeOne } from '../test/support/grade.js';
import {
  loadJsonl,
  runDialogues,
  runQuestions,
  runRequests,
  share,
  type DialogueItem,
  type QuestionItem,
  type RequestItem,
  type SetName,
  type SetResult,
  type Typing,
} from '../test/support/evaluate.js';

export interface Figures {
  overall: number;
  written: number;
  phone: number;
  total: number;
}

export interface LanguageBench {
  sets: { set: SetName; kind: 'questions' | 'requests' | 'dialogues'; figures: Figures }[];
  plainHeldout: Figures;
}

export function figuresOf(r: SetResult): Figures {
  return { overall: share(r), written: share(r.byTyping.written), phone: share(r.byTyping.phone), total: r.total };
}

/** The plain baseline on must-graded questions: MiniSearch's best passage, its first 700 characters. */
export function plainOnQuestions(passages: readonly Passage[], items: readonly QuestionItem[]): Figures {
  const ms = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'] });
  ms.addAll(passages.map((p) => ({ id: p.id, title: `${p.docTitle} ${p.heading}`, text: p.text })));
  const byId = new Map(passages.map((p) => [p.id, p]));
  const r: SetResult = {
    passed: 0,
    total: 0,
    byTyping: { written: { passed: 0, total: 0 }, phone: { passed: 0, total: 0 } },
    failures: [],
  };
  for (const item of items) {
    const top = ms.search(item.q)[0];
    const p = top ? byId.get(top.id as string) : undefined;
    const graded = gradeOne(
      item,
      p
        ? { answer: p.text.slice(0, 700), sources: [{ title: p.heading }], abstained: false }
        : { answer: '', sources: [], abstained: true },
    );
    r.total += 1;
    r.byTyping[item.typing as Typing].total += 1;
    if (graded.pass) {
      r.passed += 1;
      r.byTyping[item.typing as Typing].passed += 1;
    }
  }
  return figuresOf(r);
}

/** One held-out set's figures (heldout, outsiders, outsiders-2, outsiders-3): what the baseline test compares. */
export async function heldoutFigures(
  answerer: Answerer,
  makeApp: () => App,
  set: SetName = 'heldout',
): Promise<Record<'questions' | 'requests' | 'dialogues', Figures>> {
  return {
    questions: figuresOf(runQuestions(answerer, loadJsonl<QuestionItem>(set, 'questions.jsonl'))),
    requests: figuresOf(await runRequests(makeApp(), loadJsonl<RequestItem>(set, 'requests.jsonl'))),
    dialogues: figuresOf(await runDialogues(makeApp(), loadJsonl<DialogueItem>(set, 'dialogues.jsonl'))),
  };
}

export async function runLanguageBench(
  answerer: Answerer,
  passages: readonly Passage[],
  makeApp: () => App,
  sets: readonly SetName[],
): Promise<LanguageBench> {
  const out: LanguageBench['sets'] = [];
  for (const set of sets) {
    const files = { questions: 'questions.jsonl', requests: 'requests.jsonl', dialogues: 'dialogues.jsonl' } as const;
    for (const kind of Object.keys(files) as (keyof typeof files)[]) {
      let items: unknown[];
      try {
        items = loadJsonl(set, files[kind]);
      } catch {
        continue;
      }
      const result =
        kind === 'questions'
          ? runQuestions(answerer, items as QuestionItem[])
          : kind === 'requests'
            ? await runRequests(makeApp(), items as RequestItem[])
            : await runDialogues(makeApp(), items as DialogueItem[]);
      out.push({ set, kind, figures: figuresOf(result) });
    }
  }
  return { sets: out, plainHeldout: plainOnQuestions(passages, loadJsonl<QuestionItem>('heldout', 'questions.jsonl')) };
}
