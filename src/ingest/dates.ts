const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

const MONTH_NAME =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const ISO = /\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d|\b)/g;
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH_NAME}\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'i');
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? ${MONTH_NAME}\\.?,? (\\d{4})\\b`, 'i');

/** The first calendar date in a string, as YYYY-MM-DD; null when there is none. */
export function findDate(text: string): string | null {
  const candidates: Array<{ index: number; day: string | null }> = [];
  for (const iso of text.matchAll(ISO)) {
    const day = isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (day) {
      candidates.push({ index: iso.index, day });
      break;
    }
  }
  const monthFirst = MONTH_DAY_YEAR.exec(text);
  if (monthFirst)
    candidates.push({
      index: monthFirst.index,
      day: isoDay(Number(monthFirst[3]), monthIndex(monthFirst[1] ?? ''), Number(monthFirst[2])),
    });
  const dayFirst = DAY_MONTH_YEAR.exec(text);
  if (dayFirst)
    candidates.push({
      index: dayFirst.index,
      day: isoDay(Number(dayFirst[3]), monthIndex(dayFirst[2] ?? ''), Number(dayFirst[1])),
    });
  const found = candidates
    .filter((candidate) => candidate.day !== null)
    .sort((left, right) => left.index - right.index);
  return found[0]?.day ?? null;
}

/** Normalize a metadata date (string, number or Date) to YYYY-MM-DD when it names a day. */
export function normalizeDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.valueOf())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  return findDate(value);
}
