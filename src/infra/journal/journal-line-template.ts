/**
 * Journal lines read without parsing what repeats. Lines of one journal mostly differ only in
 * `seq`, `meta.at` (and a leader's `meta.epoch`) and the crc:
 *
 *   {"seq":41,"type":"HealthChecked","version":1,"data":{…},"meta":{"node":"n1","incarnation":1,"at":…},"crc":"…"}
 *            └──────────────────────────────── the template ─────────────────────────────────┘
 *
 * so the text between seq and at is a template, parsed once (by JSON.parse) and then recognised
 * by a map lookup; seq, at and epoch are read from the bytes. A template is only kept once it is
 * proven that its two holes are the record's `seq` and `meta.at`: the line is parsed again with
 * other numbers in them, and those, and nothing else, must change. A line that does not fit (other
 * key order, a float, a meta with other keys…) is simply not read here: it goes to JSON.parse.
 *
 * `data` objects are shared by every record of a template, so they are frozen. Map keys are copies:
 * a slice would pin the whole chunk of the file it was cut from.
 *
 * The template also knows the CRC register its own bytes leave (from 0), so a line that matches one
 * is checked by summing only its own bytes (seq, at, epoch) and skipping the template's: CRC-32 is
 * linear (see line-crc.ts). Only where the chunk's text is its bytes (ASCII, read as latin1): a
 * UTF-8 decoded key may equal a template's while the bytes differ, and then the whole line is summed.
 */
import type { DomainEvent } from '../../domain/event.ts';
import { bodyCrc, crcUpdate, finish, skipZeros, zerosSkipper } from './line-crc.ts';
import { quickJournalRecord } from './quick-journal-record.ts';

/** What a template stands for: the record without its seq, at and (when written after at) epoch. */
interface Template {
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly node: string;
  readonly incarnation: number;
  readonly epoch: number | undefined;
  /** The CRC register after the template's bytes, from 0. */
  readonly keyCrc: number;
  /** Moves a CRC register over as many zero bytes as the template has (zerosSkipper). */
  readonly skip: Int32Array;
}

/** A template text that is not one (its holes are not seq and at): such lines go to JSON.parse. */
const UNUSABLE: Template = Object.freeze({
  type: '',
  version: 0,
  data: null,
  node: '',
  incarnation: 0,
  epoch: undefined,
  keyCrc: 0,
  skip: new Int32Array(0),
});

const SEQ_FIELD = Buffer.from('{"seq":', 'latin1');
/** The CRC register after `{"seq":`, which every line read here begins with (`holes` checks it). */
const SEQ_FIELD_CRC = crcUpdate(-1, SEQ_FIELD, 0, SEQ_FIELD.length);
const EPOCH_FIELD = Buffer.from(',"epoch":', 'latin1');
const META_KEYS = new Set(['node', 'incarnation', 'epoch', 'at']);

/** Longer templates are not kept: a long text rarely repeats, and hashing it costs what parsing does. */
const MAX_TEMPLATE_CHARS = 4_096;
const MAX_TEMPLATES = 1_024;
const MAX_TEMPLATES_OF_A_LENGTH = 16;
/** Skipper tables kept (1 MiB): most journals have a few dozen template lengths. */
const MAX_SKIPPERS = 256;
/**
 * Lines per look at whether templates pay. When most lines of a window missed (every line
 * different: learning costs two parses a line), none is looked up for the next WINDOWS_PAUSED
 * windows, so such a journal pays for trying on a few percent of its lines only.
 */
const WINDOW_LINES = 1_024;
const WINDOWS_PAUSED = 16;

const ZERO = 0x30;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CRC_SUFFIX_LENGTH = ',"crc":"00000000"}'.length;

export class JournalLineTemplate {
  /**
   * Templates by the length of their text. Most lines of a journal have a few templates of each
   * length, and comparing a line's text with those is cheaper than hashing it for a Map.
   */
  private readonly byLength = new Map<number, { readonly text: string; readonly template: Template }[]>();
  /** zerosSkipper tables by template length (4 KiB each), shared by templates of one length. */
  private readonly skippers = new Map<number, Int32Array>();
  private count = 0;
  // Where the numbers of the line being read sit (set by `holes`): fields, not an object per line.
  private seq = 0;
  private seqEnd = 0;
  private at = 0;
  private atStart = 0;
  private epoch: number | undefined;
  private lines = 0;
  private hits = 0;
  private pausedWindows = 0;

  /** The seq of the line `read` last gave an event of. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * The event of the line `bytes[start, end)` (crc field included) when it matches a known template
   * and its body sums to `stated` (its seq is then `lastSeq`); undefined otherwise (then the caller
   * sums and reads the line itself), and then `learn` may make a template of it. `text` is the
   * chunk as a string when it is ASCII.
   */
  read(
    bytes: Buffer,
    start: number,
    end: number,
    text: string | undefined,
    stated: number,
  ): DomainEvent | undefined {
    if (!this.counting()) return undefined;
    if (!this.holes(bytes, start, end)) return undefined;
    const key = keyText(bytes, this.seqEnd, this.atStart, text);
    if (key === undefined) return undefined;
    const template = this.find(key);
    if (template === undefined) {
      this.learn(key);
      return undefined;
    }
    if (template === UNUSABLE) return undefined;
    const bodyEnd = end - CRC_SUFFIX_LENGTH;
    const sum =
      text === undefined
        ? bodyCrc(bytes, start, bodyEnd)
        : finish(
            crcUpdate(
              skipZeros(
                template.skip,
                crcUpdate(SEQ_FIELD_CRC, bytes, start + SEQ_FIELD.length, this.seqEnd),
              ) ^ template.keyCrc,
              bytes,
              this.atStart,
              bodyEnd,
            ),
          );
    if (sum !== stated) return undefined;
    this.hits += 1;
    const { node, incarnation } = template;
    const at = this.at;
    const epoch = this.epoch ?? template.epoch;
    const meta = epoch === undefined ? { node, incarnation, at } : { node, incarnation, epoch, at };
    return { type: template.type, version: template.version, data: template.data, meta };
  }

  private skipperFor(length: number): Int32Array {
    let skip = this.skippers.get(length);
    if (skip === undefined) {
      if (this.skippers.size >= MAX_SKIPPERS) this.skippers.clear();
      skip = zerosSkipper(length);
      this.skippers.set(length, skip);
    }
    return skip;
  }

  /** Counts a line; false while lookups are paused because they did not pay. */
  private counting(): boolean {
    this.lines += 1;
    if (this.lines < WINDOW_LINES) return this.pausedWindows === 0;
    if (this.pausedWindows > 0) this.pausedWindows -= 1;
    else if (this.hits * 2 < this.lines) this.pausedWindows = WINDOWS_PAUSED;
    this.lines = 0;
    this.hits = 0;
    return false;
  }

  private find(key: string): Template | undefined {
    const candidates = this.byLength.get(key.length);
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) if (candidate.text === key) return candidate.template;
    return undefined;
  }

  private keep(key: string, template: Template): void {
    if (this.count >= MAX_TEMPLATES) {
      this.byLength.clear();
      this.count = 0;
    }
    const text = copyOf(key);
    const candidates = this.byLength.get(text.length);
    if (candidates === undefined) this.byLength.set(text.length, [{ text, template }]);
    else {
      if (candidates.length >= MAX_TEMPLATES_OF_A_LENGTH) candidates.shift(); // the oldest makes room
      candidates.push({ text, template });
    }
    this.count += 1;
  }

  /**
   * Makes a template of `key`, or marks it unusable. Parsed twice with different numbers in the
   * holes: what changes is what the holes are. (An epoch after at is the last key written, so it is
   * the one JSON.parse keeps: the line's, as in `read`.)
   */
  private learn(key: string): void {
    const record = quickJournalRecord(parseOrUndefined(`{"seq":1${key}1}}`));
    const other = quickJournalRecord(parseOrUndefined(`{"seq":2${key}2}}`));
    const usable =
      record !== undefined &&
      other !== undefined &&
      record.seq === 1 &&
      other.seq === 2 &&
      record.meta.at === 1 &&
      other.meta.at === 2 &&
      Object.keys(record.meta).every((name) => META_KEYS.has(name));
    if (!usable) {
      this.keep(key, UNUSABLE);
      return;
    }
    const { type, version, data, meta } = record;
    const keyBytes = Buffer.from(key, 'latin1');
    this.keep(key, {
      type,
      version,
      data: deepFreeze(data),
      node: meta.node,
      incarnation: meta.incarnation,
      epoch: meta.epoch,
      keyCrc: crcUpdate(0, keyBytes, 0, keyBytes.length),
      skip: this.skipperFor(keyBytes.length),
    });
  }

  /**
   * Where the numbers sit: `{"seq":<seq>` + template + `<at>` + (`,"epoch":<epoch>`)? + `}` + crc
   * field. False when the line is not shaped so; else they are in seq, seqEnd, at, atStart, epoch.
   */
  private holes(bytes: Buffer, start: number, end: number): boolean {
    for (let i = 0; i < SEQ_FIELD.length; i++) if (bytes[start + i] !== SEQ_FIELD[i]) return false;
    const seqStart = start + SEQ_FIELD.length;
    let seqEnd = seqStart;
    while (isDigit(bytes[seqEnd])) seqEnd++;
    const seq = wholeNumber(bytes, seqStart, seqEnd);
    if (seq <= 0 || bytes[seqEnd] !== COMMA) return false;
    const close = end - CRC_SUFFIX_LENGTH - 1;
    if (bytes[close] !== CLOSE_BRACE) return false;
    let lastStart = close;
    while (lastStart > seqEnd && isDigit(bytes[lastStart - 1])) lastStart--;
    const last = wholeNumber(bytes, lastStart, close);
    if (last < 0) return false;
    this.seq = seq;
    this.seqEnd = seqEnd;
    const epochField = lastStart - EPOCH_FIELD.length;
    if (!matches(bytes, epochField, EPOCH_FIELD)) {
      this.at = last;
      this.atStart = lastStart;
      this.epoch = undefined;
      return true;
    }
    let atStart = epochField;
    while (atStart > seqEnd && isDigit(bytes[atStart - 1])) atStart--;
    const at = wholeNumber(bytes, atStart, epochField);
    if (at < 0) return false;
    this.at = at;
    this.atStart = atStart;
    this.epoch = last;
    return true;
  }
}

/** The template's text, when it is worth looking up. */
function keyText(bytes: Buffer, from: number, to: number, text: string | undefined): string | undefined {
  if (to - from > MAX_TEMPLATE_CHARS || to <= from) return undefined;
  return text === undefined ? bytes.toString('utf8', from, to) : text.slice(from, to);
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= ZERO && byte <= ZERO + 9;
}

/** The digits `bytes[from, to)` as JSON writes a whole number (no leading zero, at most 15 digits, so exact); -1 otherwise. */
function wholeNumber(bytes: Buffer, from: number, to: number): number {
  const digits = to - from;
  if (digits === 0 || digits > 15 || (digits > 1 && bytes[from] === ZERO)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + ((bytes[i] as number) - ZERO);
  return value;
}

function matches(bytes: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A string of its own, not a slice of a larger one. */
function copyOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
