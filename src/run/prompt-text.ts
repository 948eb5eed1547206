/** The text shown as "prompt" in reports and used to key the emulator's answers: the last user message. */
import type { PromptInput } from '../types.ts';

export function promptText(input: PromptInput): string {
  for (let i = input.messages.length - 1; i >= 0; i--) {
    const message = input.messages[i]!;
    if (message.role === 'user') return message.content;
  }
  return input.messages.at(-1)?.content ?? '';
}
