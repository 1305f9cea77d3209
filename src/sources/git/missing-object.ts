/** An object (commit, tree or blob) the repository does not have or cannot read. */
export class MissingObjectError extends Error {
  constructor(
    readonly oid: string,
    message: string,
  ) {
    super(message);
  }
}
