// A custom scorer: the whole answer, trimmed and lower-cased, must equal the reference likewise.
// A suite picks it with `scorer: lower-exact` (lower-exact.yaml); walked through in docs/extending.md.

export default function plugin() {
  const normalize = (text) => text.trim().toLowerCase();
  return {
    scorers: [
      {
        id: 'lower-exact',
        // What a vote counts and `score` compares: null when the answer is empty.
        extract: (_task, text) => normalize(text) || null,
        same: (_task, a, b) => a === b,
        score: (task, answer) => {
          const extracted = normalize(answer);
          return {
            correct: extracted === normalize(task.reference),
            detail: { kind: 'custom', scorer: 'lower-exact', extracted, reference: task.reference },
          };
        },
      },
    ],
  };
}
