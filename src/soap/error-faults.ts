/**
 * Any error thrown while reading or handling a SOAP request -> the fault to answer with and the
 * HTTP status (SOAP 1.2 Part 2, 7.5.1.2: 400 for env:Sender, 500 otherwise; 415 for a media type
 * we do not accept). A full or failing disk (spooling an attachment) is a Receiver fault that
 * says so. Errors we did not foresee become a Receiver fault that says nothing about their
 * cause: internals stay in the log (expected: false tells the caller to log it).
 */
import { SoapFault } from './fault';
import { MtomError } from './mtom-error';
import { XmlSafetyError } from './xml-errors';
import { StorageError } from '../storage-error';

export interface FaultForError {
  fault: SoapFault;
  status: number;
  /** false for errors that are bugs or outages rather than a bad request: log them. */
  expected: boolean;
}

export function faultForError(err: unknown): FaultForError {
  if (err instanceof SoapFault) return { fault: err, status: err.httpStatus, expected: true };
  if (err instanceof XmlSafetyError) {
    return { fault: new SoapFault({ code: 'Sender', reason: `XML refused (${err.code}): ${err.message}`, cause: err }), status: 400, expected: true };
  }
  if (err instanceof MtomError && err.code !== 'DISPOSED') {
    return {
      fault: new SoapFault({ code: 'Sender', reason: `message refused (${err.code}): ${err.message}`, cause: err }),
      status: err.code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400,
      expected: true,
    };
  }
  if (err instanceof StorageError) {
    // Logged too: an operator has to free space or fix the disk.
    return { fault: new SoapFault({ code: 'Receiver', reason: `the message could not be stored: ${err.failure === 'full' ? 'storage is full' : 'storage error'}${err.errno ? ` (${err.errno})` : ''}`, cause: err }), status: 500, expected: false };
  }
  return { fault: new SoapFault({ code: 'Receiver', reason: 'internal error while processing the message', cause: err }), status: 500, expected: false };
}
