/**
 * Which of the supervisors' mistakes a student still makes (shared/METHODS.md section 5, after "Debate Helps
 * Weak-to-Strong Generalization"): an example is a shared error when most members of the ensemble get it wrong,
 * an unshared error when some do but not most. The student copies it when it is wrong with a class that a wrong
 * member gave. Pure functions on class indices.
 */

export interface CopyShare {
  /** Examples in the group. */
  count: number;
  /** Of those, where the student gives a wrong class that one of the wrong members gave. */
  copies: number;
  /** copies / count (null for an empty group). */
  rate: number | null;
}

export interface SharedErrorCopies {
  shared: CopyShare;
  unshared: CopyShare;
}

export function sharedErrorCopies(labels: ArrayLike<number>, members: readonly ArrayLike<number>[], student: ArrayLike<number>): SharedErrorCopies {
  const n = labels.length;
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  if (student.length !== n || members.some((m) => m.length !== n)) throw new Error('labels and predictions differ in length');
  const shared = { count: 0, copies: 0 };
  const unshared = { count: 0, copies: 0 };
  for (let i = 0; i < n; i++) {
    const truth = labels[i];
    let wrong = 0;
    let copied = false;
    for (const member of members) {
      if (member[i] === truth) continue;
      wrong++;
      if (student[i] === member[i]) copied = true;
    }
    if (wrong === 0) continue;
    // Most members: strictly more than half.
    const group = 2 * wrong > members.length ? shared : unshared;
    group.count++;
    if (copied) group.copies++;
  }
  const share = (g: { count: number; copies: number }): CopyShare => ({ ...g, rate: g.count > 0 ? g.copies / g.count : null });
  return { shared: share(shared), unshared: share(unshared) };
}
