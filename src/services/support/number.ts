/** A ticket's number as both sides see it: `SUP-00042`. */
export function ticketNumber(n: number): string {
  return `SUP-${String(n).padStart(5, '0')}`;
}
