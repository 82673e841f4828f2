import { describe, expect, it } from 'vitest';
import { formatDay } from '../server/views';

describe('formatDay', () => {
  it('prints every month with the same three letters, whatever the ICU data of this Node', () => {
    const days = Array.from({ length: 12 }, (_, month) => formatDay(`2026-${String(month + 1).padStart(2, '0')}-18`));
    expect(days).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((month) => `18 ${month} 2026`));
  });

  it('reads calendar days, instants (their UTC day) and dates, and prints nothing for anything else', () => {
    expect(formatDay('2026-09-01')).toBe('1 Sep 2026');
    expect(formatDay('2026-12-31T23:59:59.999Z')).toBe('31 Dec 2026');
    expect(formatDay(new Date('2027-02-03T00:30:00+02:00'))).toBe('2 Feb 2027');
    for (const nothing of ['', 'soon', '2026-13-01', null, undefined, 42]) expect(formatDay(nothing)).toBe('');
  });
});
