/**
 * Shareable links: the full config (and only the config) in the URL hash, compressed and versioned.
 *
 *   #c=<lz-string of {"v": CONFIG_VERSION, ...config}>&run=1&lecture=1&hide=student.loss,supervisor.train&speed=10
 *
 * Decoding never throws: unknown keys are ignored, invalid values fall back to their defaults with a notice
 * naming each, and a link that cannot be read at all leaves the page as if there were no link.
 */
import LZString from 'lz-string';
import { CONFIG_VERSION } from '../../core/config/blocks';
import { ConfigError } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { readConfig } from '../../core/config/read';
import { parseUntrustedJson } from '../../core/untrusted-json';

export interface LinkOptions {
  /** Start the experiment as soon as the page opens. */
  run?: boolean;
  /** Lecture mode: large type, high contrast. */
  lecture?: boolean;
  /** Controls to hide, as config paths or panel names. */
  hide?: string[];
  /** The speed cap in training steps per second (null or absent: full speed), for watching a run in class. */
  speed?: number | null;
}

export interface DecodedLink extends Required<LinkOptions> {
  /** The config the link carries; null when there is none or it could not be read. */
  config: ExperimentConfig | null;
  /** What was wrong with the link, in words, one line each (shown to the visitor). */
  notices: string[];
}

/**
 * The longest hash we try to read: a config is a few hundred characters. lz-string can expand a crafted string
 * about quadratically (10,000 characters can unpack to 12 million), so the unpacked text is capped too.
 */
const MAX_HASH_LENGTH = 10_000;
const MAX_CONFIG_JSON = 100_000;
/** The highest speed cap a link may set, in steps per second. */
const MAX_SPEED = 100_000;

export function encodeLink(config: ExperimentConfig, options: LinkOptions = {}): string {
  const params = new URLSearchParams();
  params.set('c', LZString.compressToEncodedURIComponent(JSON.stringify({ ...config, v: CONFIG_VERSION })));
  if (options.run) params.set('run', '1');
  if (options.lecture) params.set('lecture', '1');
  if (options.hide?.length) params.set('hide', options.hide.join(','));
  if (options.speed) params.set('speed', String(options.speed));
  return `#${params.toString()}`;
}

export function decodeLink(hash: string): DecodedLink {
  const empty: DecodedLink = { config: null, notices: [], run: false, lecture: false, hide: [], speed: null };
  if (typeof hash !== 'string' || hash.length <= 1) return empty;
  if (hash.length > MAX_HASH_LENGTH)
    return { ...empty, notices: [`The link is too long to be an experiment (${hash.length} characters); showing the default experiment.`] };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(hash.replace(/^#/, ''));
  } catch {
    return { ...empty, notices: ['The link could not be read; showing the default experiment.'] };
  }
  const result: DecodedLink = {
    ...empty,
    run: params.get('run') === '1',
    lecture: params.get('lecture') === '1',
    hide: (params.get('hide') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^[A-Za-z][\w.-]{0,80}$/.test(s))
      .slice(0, 50),
  };
  const speed = params.get('speed');
  if (speed !== null) {
    const value = /^\d{1,6}$/.test(speed) ? Number(speed) : NaN;
    if (value >= 1 && value <= MAX_SPEED) result.speed = value;
    else
      result.notices = [
        `The speed in this link (${JSON.stringify(speed.slice(0, 20))}) is not a whole number of steps per second from 1 to ${MAX_SPEED}; the page runs at full speed.`,
      ];
  }
  const packed = params.get('c');
  if (packed === null) return result;

  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(packed);
  } catch {
    json = null;
  }
  const parsed = json ? parseUntrustedJson(json, MAX_CONFIG_JSON) : null;
  if (!parsed?.ok) {
    const why = parsed && parsed.kind !== 'not-json' ? `: it is ${parsed.problem}` : ' (the link may be cut short or altered)';
    return { ...result, run: false, notices: [`The experiment in this link could not be read${why}; showing the default experiment instead.`] };
  }
  const payload = parsed.value;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ...result, run: false, notices: ['The link does not hold an experiment; showing the default experiment instead.'] };
  }

  try {
    const { config, notices } = readConfig(payload);
    return { ...result, config, notices: [...result.notices, ...notices] };
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    return { ...result, run: false, notices: [`The experiment in this link is not valid (${detail}); showing the default experiment instead.`] };
  }
}
