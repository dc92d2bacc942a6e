/**
 * Round-robin over the rotation, continuing after whoever triaged the previous response (by login,
 * so reordering or growing the rotation does not restart it). Returns everyone in the order to try:
 * when GitHub refuses the first, the next is tried and the skip is recorded, never silent.
 */
export function rotationOrder(rotation: string[], previous?: { triager?: string; index?: number }): { login: string; index: number }[] {
  if (rotation.length === 0) return [];
  let start = 0;
  const at = previous?.triager ? rotation.findIndex((l) => l.toLowerCase() === previous.triager!.toLowerCase()) : -1;
  if (at >= 0) start = at + 1;
  else if (previous?.index !== undefined) start = previous.index + 1;
  return rotation.map((_, k) => {
    const index = (start + k) % rotation.length;
    return { login: rotation[index]!, index };
  });
}
