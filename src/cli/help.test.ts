// Every command and every option explains itself in Chinese and in English (`hutong … --help`).
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main';

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

const bilingual = (text: string) => /\p{Script=Han}/u.test(text) && /[A-Za-z]{3,}/.test(text);

describe('CLI help', () => {
  it('is bilingual for every command and option', () => {
    const commands = everyCommand(buildProgram());
    expect(commands.length).toBeGreaterThan(30);
    const monolingual: string[] = [];
    for (const command of commands) {
      // The root's description is the product's name; its subcommands say what they do.
      if (command.parent && !bilingual(command.description()))
        monolingual.push(`${command.name()}: ${command.description()}`);
      for (const option of command.options) {
        if (!bilingual(option.description))
          monolingual.push(`${command.name()} ${option.flags}: ${option.description}`);
      }
    }
    expect(monolingual).toEqual([]);
  });
});
