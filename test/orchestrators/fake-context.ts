import type { CallMeta, OrchestratorContext } from '../../src/orchestrators/types.js';
import type { AgentConfig, ChatMessage } from '../../src/providers/types.js';
import { answerReader } from '../../src/scoring/answers.js';
import type { Task } from '../../src/suites/types.js';

export interface RecordedCall {
  step: number;
  agentId: string;
  meta: CallMeta;
  messages: ChatMessage[];
}

export const mathTask: Task = {
  id: 't1',
  suite: 'test',
  category: 'math',
  kind: 'math',
  prompt: 'What is 2 + 2? Put your final answer within \\boxed{}.',
  reference: '4',
  distractors: ['5'],
  meta: {},
};

export function agents(...ids: string[]): AgentConfig[] {
  return ids.map((id) => ({
    id,
    provider: 'sim',
    model: `m-${id}`,
    params: {},
    price: { input: 0, output: 0 },
  }));
}

/** An OrchestratorContext whose models are a function of (agent, role): records every call. */
export function fakeContext(
  pool: AgentConfig[],
  reply: (agentId: string, meta: CallMeta, messages: ChatMessage[]) => string,
  task: Task = mathTask,
): { ctx: OrchestratorContext; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const ctx: OrchestratorContext = {
    task,
    pool,
    random: () => 0.5,
    answers: answerReader,
    async call(agentId, messages, meta) {
      const step = calls.length;
      calls.push({ step, agentId, meta, messages });
      return { step, agentId, text: reply(agentId, meta, messages) };
    },
  };
  return { ctx, calls };
}
