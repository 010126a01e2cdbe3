// Every command and every option explains itself in Chinese and in English (`hutong … --help`); the
// service units shipped for a city's servers start commands that exist.
import { readdirSync, readFileSync } from 'node:fs';
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

describe('the systemd units shipped in deploy/systemd', () => {
  it('start commands and options the CLI has, and reload with SIGHUP', () => {
    const program = buildProgram();
    const folder = new URL('../../deploy/systemd/', import.meta.url);
    const units = readdirSync(folder).filter((file) => file.endsWith('.service'));
    expect(units.sort()).toEqual(['hutong-hub.service', 'hutong-node@.service']);
    for (const unit of units) {
      const text = readFileSync(new URL(unit, folder), 'utf8');
      const exec = /^ExecStart=\S+ \S+hutong\.js (.+)$/m.exec(text)?.[1]?.split(' ') ?? [];
      const [name, ...args] = exec;
      const command = program.commands.find((candidate) => candidate.name() === name);
      expect(command, unit).toBeDefined();
      const flags = args.filter((arg) => arg.startsWith('--'));
      for (const flag of flags) {
        expect(
          command?.options.some((option) => option.long === flag),
          `${unit}: ${name} ${flag}`,
        ).toBe(true);
      }
      expect(text).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    }
  });
});
