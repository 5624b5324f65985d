/** The roles a TRINITY head chooses between, in the order of its role logits. */
export const TRINITY_ROLES = ['thinker', 'worker', 'verifier'] as const;
export type TrinityRole = (typeof TRINITY_ROLES)[number];
