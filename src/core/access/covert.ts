/**
 * Covert requests (an allow-listed agency's investigation, withheld from the person until a disclosure
 * date). The log is public and names subjects by keyed hash, and a person who sees their own records learns
 * their own hash; so a covert access must not carry that hash, or the person could find it in the public
 * log before the date. Its subjects are hashed from this input instead: unlinkable to the person's other
 * entries without the city secret, and per disclosure date, so one disclosed investigation does not
 * reveal another. The hub, holding the secret, computes the hashes of dates already past when the person
 * logs in (the only time it sees the key).
 */
export function covertSubjectInput(subjectKey: string, disclosureDate: string): string {
  return `covert:${disclosureDate}:${subjectKey}`;
}
