import pino from 'pino';

/** Structured JSON logs (pino) to stdout; the level comes from LOG_LEVEL. */
export function createLogger(level: string): pino.Logger {
  return pino({ level, base: { service: 'hie-gateway' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type Logger = pino.Logger;
