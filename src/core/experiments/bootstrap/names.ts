/** The chain's stage names: the spec announces them, the runner trains them, the captions follow them. */
export const linkName = (i: number) => `link-${i + 1}`;
