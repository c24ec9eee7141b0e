/**
 * A memo for pure functions of a text that the stages call on the same sentences many times. It
 * keeps at most `limit` answers and is emptied when full, so it never grows across a corpus.
 * Answers are shared between callers: they must be treated as read-only.
 */
export function rememberRecent<T>(compute: (text: string) => T, limit = 4096): (text: string) => T {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    if (known !== undefined || answers.has(text)) return known as T;
    const answer = compute(text);
    if (answers.size >= limit) answers.clear();
    answers.set(text, answer);
    return answer;
  };
}
