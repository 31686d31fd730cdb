package io.rowstream.security;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Verifies Basic credentials and bearer API keys against the database, and remembers each
 * verdict (good or bad) for the cache TTL, so that a busy client costs one bcrypt check and one
 * query per TTL, not per request. Changes made through this node forget every verdict at once;
 * other nodes see them within the TTL.
 *
 * <p>It also manages users and keys. Whoever may do that (ALTER on the cluster) could otherwise
 * take over a super user by setting its password or minting a key for it, so only a super user
 * may act on the credentials of a super user.
 */
public final class Authenticator {
  static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
  private static final String TOKEN_PREFIX = "rsk_";
  /** An API key's id: the 16 hex digits of its token {@code rsk_<id>_<secret>}. */
  private static final Pattern API_KEY_ID = Pattern.compile("[0-9a-f]{16}");
  /** Verdicts cached at most, of each kind (verified, refused). */
  static final int MAX_CACHED = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final CredentialStore store;
  private final long ttlNanos;
  private final Predicate<Principal> superUser;
  private final AuthenticationThrottle throttle;
  private final PasswordChecks passwordChecks;
  private final ConcurrentHashMap<String, Verdict> verified = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Verdict> refused = new ConcurrentHashMap<>();
  /**
   * Checks under way, by cache key: a request with the same credentials waits for the verdict of
   * the check already running instead of starting its own, so a burst of parallel requests from
   * one client (a console's page, a pool of connections) costs one bcrypt check, not one each,
   * and none of them is refused for want of a check permit.
   */
  private final ConcurrentHashMap<String, CompletableFuture<Optional<Principal>>> checking =
      new ConcurrentHashMap<>();

  private record Verdict(Optional<Principal> principal, long expiresAtNanos) {}

  /**
   * @param superUser whether a principal is a super user (with authentication off: everyone)
   * @param throttle what refuses password checks after too many failures
   * @param passwordChecks what runs the password checks, a few at a time
   */
  Authenticator(
      CredentialStore store,
      Duration ttl,
      Predicate<Principal> superUser,
      AuthenticationThrottle throttle,
      PasswordChecks passwordChecks) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
    this.superUser = superUser;
    this.throttle = throttle;
    this.passwordChecks = passwordChecks;
  }

  /**
   * The principal of a Basic user name and password sent from {@code clientAddress}, if they are
   * right. A verdict cached within the TTL is answered at once; otherwise the password is checked,
   * unless the address or the user name failed too often lately.
   *
   * @throws AuthenticationThrottledException when the password was not checked
   */
  public Optional<Principal> basic(String user, String password, String clientAddress) {
    return cached(
        "b\0" + user + "\0" + password,
        () -> USER_NAME.matcher(user).matches() && checkPassword(user, password, clientAddress)
            ? Optional.of(new Principal(user))
            : Optional.empty());
  }

  private boolean checkPassword(String user, String password, String clientAddress) {
    throttle.check(clientAddress, user);
    String hash = store.passwordHash(user).orElse(null);
    // Checked again once a check may start: failures may have been counted while this one waited.
    boolean right = passwordChecks.run(() -> {
      throttle.check(clientAddress, user);
      return Passwords.verify(password, hash);
    });
    if (!right) {
      throttle.failed(clientAddress, user);
    }
    return right;
  }

  /**
   * The principal of a user name and password (as {@link #basic}), or of an API key sent as a
   * user name and password, SASL/PLAIN's only fields: the key id as user name and the key's secret
   * (the token's part after {@code rsk_<id>_}) or its whole token as password (as {@link #bearer}).
   */
  public Optional<Principal> password(String user, String password, String clientAddress) {
    if (API_KEY_ID.matcher(user).matches()) {
      String token =
          password.startsWith(TOKEN_PREFIX) ? password : TOKEN_PREFIX + user + "_" + password;
      Optional<Principal> key =
          token.startsWith(TOKEN_PREFIX + user + "_") ? bearer(token) : Optional.empty();
      if (key.isPresent()) {
        return key;
      }
    }
    return basic(user, password, clientAddress);
  }

  /** The principal of a bearer API key, if it is known and not expired. */
  public Optional<Principal> bearer(String token) {
    if (!token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
      return Optional.empty();
    }
    return cached("k\0" + token, () -> store.apiKeyPrincipal(sha256(token)).map(Principal::new));
  }

  private Optional<Principal> cached(
      String secret, java.util.function.Supplier<Optional<Principal>> verify) {
    // The cache key is a digest, so that no secret stays in memory longer than the request.
    String key = HexFormat.of().formatHex(sha256(secret));
    long now = System.nanoTime();
    Verdict v = verified.get(key);
    if (v == null) {
      v = refused.get(key);
    }
    if (v != null && now - v.expiresAtNanos < 0) {
      return v.principal;
    }
    CompletableFuture<Optional<Principal>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Principal>> running = checking.putIfAbsent(key, mine);
    if (running != null) {
      return verdictOf(running);
    }
    Optional<Principal> principal;
    try {
      principal = verify.get();
      mine.complete(principal);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      checking.remove(key, mine);
    }
    // Refusals are kept apart, so that a flood of wrong credentials never evicts verified ones.
    ConcurrentHashMap<String, Verdict> verdicts = principal.isPresent() ? verified : refused;
    if (verdicts.size() >= MAX_CACHED) {
      verdicts.clear();
    }
    verdicts.put(key, new Verdict(principal, now + ttlNanos));
    (principal.isPresent() ? refused : verified).remove(key);
    return principal;
  }

  /** The verdict of a check another request started: its answer, or what it threw. */
  private static Optional<Principal> verdictOf(CompletableFuture<Optional<Principal>> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Forgets every cached verdict (a user, password or key changed). */
  public void invalidate() {
    verified.clear();
    refused.clear();
  }

  /** Creates a user or sets its password, on behalf of {@code actor}; true when it was created. */
  public boolean putUser(Principal actor, String name, String password) {
    requireUserName(name);
    requireMayManage(actor, name);
    if (password.isEmpty()
        || password.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
      throw new IllegalArgumentException("a password has 1 to " + Passwords.MAX_BYTES + " bytes");
    }
    boolean created = store.putUser(name, Passwords.hash(password));
    invalidate();
    return created;
  }

  /** Creates the user unless it exists (the configured bootstrap user). */
  public void ensureUser(String name, String password) {
    requireUserName(name);
    store.insertUserIfAbsent(name, Passwords.hash(password));
  }

  /** Deletes a user and every API key acting as it, on behalf of {@code actor}; false when there is none. */
  public boolean deleteUser(Principal actor, String name) {
    requireMayManage(actor, name);
    boolean deleted = store.deleteUser(name);
    invalidate();
    return deleted;
  }

  public List<UserInfo> users() {
    return store.users();
  }

  /**
   * A new API key acting as {@code User:principal}, made by {@code actor}; its token is in the
   * answer and nowhere else.
   */
  public ApiKeyInfo createApiKey(
      Principal actor, String principal, String description, Optional<OffsetDateTime> expiresAt) {
    requireUserName(principal);
    requireMayManage(actor, principal);
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    String token =
        TOKEN_PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    store.insertApiKey(keyId, principal, sha256(token), description, expiresAt.orElse(null));
    return new ApiKeyInfo(
        keyId, principal, description, expiresAt, OffsetDateTime.now(), Optional.of(token));
  }

  /** Deletes an API key on behalf of {@code actor}; false when there is none. */
  public boolean deleteApiKey(Principal actor, String keyId) {
    Optional<String> owner = store.apiKeyOwner(keyId);
    if (owner.isEmpty()) {
      return false;
    }
    requireMayManage(actor, owner.get());
    boolean deleted = store.deleteApiKey(keyId);
    invalidate();
    return deleted;
  }

  public List<ApiKeyInfo> apiKeys() {
    return store.apiKeys();
  }

  /** Refuses unless {@code actor} may act on the credentials of {@code User:name}. */
  private void requireMayManage(Principal actor, String name) {
    if (superUser.test(new Principal(name)) && !superUser.test(actor)) {
      throw new BrokerException(
          BrokerError.CLUSTER_AUTHORIZATION_FAILED,
          "Not authorized: " + actor + " may not act on the credentials of super user User:" + name
              + "; only a super user may.");
    }
  }

  private static void requireUserName(String name) {
    if (name == null || !USER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a user name has 1 to 128 characters from [A-Za-z0-9._@-]");
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK, which indicates a bug", e);
    }
  }
}
