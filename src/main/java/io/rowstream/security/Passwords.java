package io.rowstream.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt: slow and salted, for secrets people choose. */
final class Passwords {
  /** 2^10 rounds: about 50 ms a check on a 2-core VM; verified credentials are cached. */
  private static final int COST = 10;
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
  static final int MAX_BYTES = 72;
  /** Checked against when the user does not exist, so that answers take as long either way. */
  private static final String DUMMY = hash("no such user");

  private Passwords() {}

  static String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  static boolean verify(String password, String hashOrNull) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      return false;
    }
    boolean ok = BCrypt.verifyer()
        .verify(bytes, (hashOrNull == null ? DUMMY : hashOrNull).getBytes(StandardCharsets.UTF_8))
        .verified;
    return ok && hashOrNull != null;
  }
}
