/**
 * Who holds an e-mail (README, Conventions: "Users and their e-mails"). A user is keyed by the
 * identity provider's `sub`; their e-mail is an attribute the provider vouches for, which may move
 * from one user to another. Each stored e-mail keeps how recent the word that set it is: the issue
 * time of the token that brought it, or when an admin set it (null: older than any token). A word
 * replaces what is stored only when it is newer, so two valid tokens that disagree (one issued
 * before the address moved, one after) settle on the newer instead of taking turns.
 *
 * @example
 * isNewerWord(new Date('2026-11-29T10:00:01Z'), new Date('2026-11-29T10:00:00Z')) // true
 * isNewerWord(new Date('2026-11-29T10:00:00Z'), new Date('2026-11-29T10:00:00Z')) // false: a tie keeps what is stored
 * isNewerWord(new Date('2026-11-29T10:00:00Z'), null)                              // true
 */
export function isNewerWord(saidAt: Date, storedSetAt: Date | null): boolean {
  return storedSetAt === null || saidAt.getTime() > storedSetAt.getTime();
}
