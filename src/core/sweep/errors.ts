/** A sweep or seed list that cannot be read as given (the command line exits with code 2 and the message). */
export class SweepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepInputError';
  }
}
