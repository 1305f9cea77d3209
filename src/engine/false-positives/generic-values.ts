// Extra judgement for the generic rules (no provider prefix, so the value's shape and its key
// decide): values that are code, paths or identifiers, keys whose name says the value is not
// the secret itself, and URL userinfo that is a stand-in.
import { keyBefore, type LineView } from '../line.js';

/** Key names that hold something about a secret, or a token that is not a credential. */
const NON_SECRET_KEY =
  /(?:^|[_.-])(?:page|next|prev|continuation|cursor|pagination|sync|resume|csrf|xsrf|pad|eos|bos|unk|sep|cls|mask|max|min|num|total|count|stop|start|end)[_.-]?(?:token|tokens)$|(?:hash|hashed|digest|file|path|name|url|uri|type|length|len|id|env|var|field|header|param|prompt|policy|regex|pattern|format|expires|expiry|ttl|endpoint|version|size|label|ref|dir|mode|algorithm|alg|method|hint|salt|iv|nonce)$/i;

/** Letters and punctuation only: an identifier, a member chain (`a?.b`) or a phrase. Generated secrets carry digits. */
const WORDS_ONLY = /^[A-Za-z_.$?!:-]+$/;
const FILE_PATH = /^(?:\.{1,2}\/|~\/|\/[A-Za-z])|\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|json|ya?ml|txt|env|cfg|conf|ini|properties|toml|xml|gpg|asc|pub)$/i;
/** An identifier joined by dots: code, not a value (`config.db.password`); segments ending in a number (`Violet.maple0010`) are a password's words. */
const DOTTED_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,40}(?:\??\.[A-Za-z_$][A-Za-z0-9_$]{0,40}){1,6}$/;

function isMemberChain(value: string): boolean {
  return DOTTED_IDENTIFIER.test(value) && !/[0-9]{2}(?:\.|$)/.test(value);
}

/** A word with a counter (`notification-94`, `user_12`): a name, not a generated secret. */
const WORD_AND_NUMBER = /^[A-Za-z][a-z]{2,}[-_.]?[0-9]{1,4}$/;

/** Fewer than two of lower case, upper case and digits (symbols aside): a word, not a secret. */
function hasFewClasses(value: string): boolean {
  const classes = Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/[0-9]/.test(value));
  return classes < 2;
}

/** True when a generic rule's value is code, a path, a name or a word rather than a secret. */
export function isNonSecretValue(secret: string): boolean {
  return WORDS_ONLY.test(secret) || WORD_AND_NUMBER.test(secret) || hasFewClasses(secret) || FILE_PATH.test(secret) || isMemberChain(secret);
}

/**
 * `"KEY", "value"` assigns only as a call's first two arguments (`setenv("TOKEN", "...")`); in a
 * list of names (`['security', 'secret', 'external/cwe/cwe-798']`) it is two neighbours.
 */
function isListNeighbour(view: LineView): boolean {
  const before = view.line.slice(0, view.start);
  const pair = /(["'])[A-Za-z0-9_.-]{1,80}\1\s{0,2},\s{0,4}["'`]$/.exec(before);
  return pair !== null && !/\(\s{0,2}$/.test(before.slice(0, pair.index));
}

/** For the assignment rules: true when the value or its key say it is not a secret. */
export function isNonSecretAssignment(view: LineView, secret: string): boolean {
  if (isNonSecretValue(secret) || isListNeighbour(view)) return true;
  const key = keyBefore(view.line, view.start);
  return key.length > 0 && NON_SECRET_KEY.test(key);
}

/** Hosts reserved for documentation (RFC 2606 / 6761). */
const DOC_HOST = /^(?:[^@]*\.)?example(?:\.(?:com|org|net))?(?:[:/]|$)|\.(?:example|invalid|test)(?:[:/]|$)/i;

/** For URL credentials: user equal to password, or a documentation host. */
export function isStandInUrlCredential(view: LineView, secret: string): boolean {
  const before = view.line.slice(Math.max(0, view.start - 80), view.start);
  const user = /([^\s:@/'"<>`\\]*):$/.exec(before)?.[1] ?? '';
  if (user.length > 0 && user.toLowerCase() === secret.toLowerCase()) return true;
  const host = /^@([^\s/?#'"<>`\\]{1,253})/.exec(view.line.slice(view.end))?.[1] ?? '';
  return DOC_HOST.test(host);
}
