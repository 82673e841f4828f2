export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

const ORDER: LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** One line per event on stderr, with a level threshold; errors keep their cause chain. */
export function createLogger(threshold: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const log = (level: LogLevel) => (message: string, extra?: Record<string, unknown>) => {
    if (ORDER.indexOf(level) < ORDER.indexOf(threshold)) return;
    const details = extra ? ` ${JSON.stringify(extra, errorReplacer)}` : '';
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${details}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  }
  return value;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
