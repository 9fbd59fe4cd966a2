/**
 * The password of a ZooKeeper session, worked out from its id the way the server makes it:
 * `new java.util.Random(sessionId ^ 0xB3415C00L).nextBytes(new byte[16])` (ZooKeeperServer's
 * generatePasswd). A test can then expire the session of a taskd *process* on demand, knowing only
 * the session id its journal recorded; node-zookeeper-client's getSessionPassword() is out of reach
 * in another process.
 */

const SUPER_SECRET = 0xb3415c00n;
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;
const PASSWORD_BYTES = 16;

/** The 16-byte password of session `sessionIdHex` (the id as 16 hex digits, as the journal has it). */
export function sessionPassword(sessionIdHex: string): Buffer {
  const id = BigInt.asIntN(64, BigInt(`0x${sessionIdHex.replace(/^0x/, '')}`));
  let seed = (BigInt.asUintN(64, id ^ SUPER_SECRET) ^ MULTIPLIER) & MASK;
  const nextInt = (): number => {
    seed = (seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, seed >> 16n));
  };
  const bytes = Buffer.alloc(PASSWORD_BYTES);
  // Random.nextBytes: each int fills up to four bytes, lowest byte first.
  for (let i = 0; i < PASSWORD_BYTES; ) {
    let random = nextInt();
    for (let n = Math.min(PASSWORD_BYTES - i, 4); n > 0; n--) {
      bytes[i++] = random & 0xff;
      random >>= 8;
    }
  }
  return bytes;
}

/** The session id as the 8 bytes a ConnectRequest carries. */
export function sessionIdBytes(sessionIdHex: string): Buffer {
  return Buffer.from(sessionIdHex.replace(/^0x/, '').padStart(16, '0'), 'hex');
}
