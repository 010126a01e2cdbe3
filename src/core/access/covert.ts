/**
 * Covert requests (an allow-listed agency's investigation, withheld from the person until a disclosure
 * date). The log is public and names subjects by keyed hash, and a person who sees their own records learns
 * their own hash; so a covert access must not carry that hash, or the person could find it in the public
 * log before the date. Its subjects are hashed from this input instead: unlinkable to the person's other
 * entries without the city secret, and per disclosure date, so one disclosed investigation does not
 * reveal another. The hub, holding the secret, computes the hashes of dates already past when the person
 * logs in (the only time it sees the key).
 */
import { isIsoDate } from './values';

/** What a covert access's subjects are hashed from: the key with the disclosure date. */
export function covertSubjectInput(subjectKey: string, disclosureDate: string): string {
  return `covert:${disclosureDate}:${subjectKey}`;
}

/**
 * A covert flag must be a real date after today and at most `maxDays` ahead, from an allow-listed consumer;
 * the refusal's code and detail otherwise.
 */
export function checkCovertFlag(flag: {
  caller: string;
  until: string;
  today: string;
  allowed: readonly string[];
  maxDays: number;
}): { code: 'BAD_COVERT_FLAG' | 'COVERT_NOT_ALLOWED'; detail: string } | undefined {
  const { caller, until, today } = flag;
  const latest = new Date(Date.parse(`${today}T00:00:00Z`) + flag.maxDays * 86_400_000).toISOString().slice(0, 10);
  if (!isIsoDate(until) || until <= today) {
    return {
      code: 'BAD_COVERT_FLAG',
      detail: `hutong-covert-until ${until.slice(0, 40)} is not a date after ${today}`,
    };
  }
  if (until > latest) return { code: 'BAD_COVERT_FLAG', detail: `hutong-covert-until may be at most ${latest}` };
  if (!flag.allowed.includes(caller)) {
    return { code: 'COVERT_NOT_ALLOWED', detail: `${caller} is not allowed to flag requests covert` };
  }
  return undefined;
}
