package io.rowstream.security;

import static io.rowstream.db.schema.Tables.AUTH_API_KEY;
import static io.rowstream.db.schema.Tables.AUTH_USER;

import io.rowstream.db.Tx;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** All SQL on {@code auth_user} and {@code auth_api_key}. Expiry uses the database clock. */
final class CredentialStore {
  private final DSLContext dsl;

  CredentialStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** Creates the user or sets its password; true when it was created. */
  boolean putUser(String name, String passwordHash) {
    return dsl.insertInto(AUTH_USER)
        .set(AUTH_USER.NAME, name)
        .set(AUTH_USER.PASSWORD_HASH, passwordHash)
        .onConflict(AUTH_USER.NAME)
        .doUpdate()
        .set(AUTH_USER.PASSWORD_HASH, passwordHash)
        .set(AUTH_USER.CREATED_AT, DSL.currentOffsetDateTime())
        .returningResult(DSL.field("xmax = 0", Boolean.class))
        .fetchSingle()
        .value1();
  }

  /** Creates the user unless it exists; true when it was created. */
  boolean insertUserIfAbsent(String name, String passwordHash) {
    return dsl.insertInto(AUTH_USER)
            .set(AUTH_USER.NAME, name)
            .set(AUTH_USER.PASSWORD_HASH, passwordHash)
            .onConflictDoNothing()
            .execute()
        == 1;
  }

  /**
   * Deletes the user and, in the same transaction, every API key acting as it; false (and nothing
   * deleted) when there is no such user.
   */
  boolean deleteUser(String name) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      if (t.deleteFrom(AUTH_USER).where(AUTH_USER.NAME.eq(name)).execute() == 0) {
        return false;
      }
      t.deleteFrom(AUTH_API_KEY).where(AUTH_API_KEY.PRINCIPAL.eq(name)).execute();
      return true;
    });
  }

  Optional<String> passwordHash(String name) {
    return dsl.select(AUTH_USER.PASSWORD_HASH)
        .from(AUTH_USER)
        .where(AUTH_USER.NAME.eq(name))
        .fetchOptional(0, String.class);
  }

  /** User names and creation times, by name. */
  List<UserInfo> users() {
    return dsl.select(AUTH_USER.NAME, AUTH_USER.CREATED_AT)
        .from(AUTH_USER)
        .orderBy(AUTH_USER.NAME)
        .fetch(r -> new UserInfo(r.value1(), r.value2()));
  }

  void insertApiKey(
      String keyId,
      String principal,
      byte[] secretSha256,
      String description,
      OffsetDateTime expiresAt) {
    dsl.insertInto(AUTH_API_KEY)
        .set(AUTH_API_KEY.KEY_ID, keyId)
        .set(AUTH_API_KEY.PRINCIPAL, principal)
        .set(AUTH_API_KEY.SECRET_SHA256, secretSha256)
        .set(AUTH_API_KEY.DESCRIPTION, description)
        .set(AUTH_API_KEY.EXPIRES_AT, expiresAt)
        .execute();
  }

  boolean deleteApiKey(String keyId) {
    return dsl.deleteFrom(AUTH_API_KEY).where(AUTH_API_KEY.KEY_ID.eq(keyId)).execute() == 1;
  }

  /** The name of the principal a key acts as, whether or not it has expired. */
  Optional<String> apiKeyOwner(String keyId) {
    return dsl.select(AUTH_API_KEY.PRINCIPAL)
        .from(AUTH_API_KEY)
        .where(AUTH_API_KEY.KEY_ID.eq(keyId))
        .fetchOptional(0, String.class);
  }

  /** The principal of the key with this digest, unless it is unknown or expired. */
  Optional<String> apiKeyPrincipal(byte[] secretSha256) {
    return dsl.select(AUTH_API_KEY.PRINCIPAL)
        .from(AUTH_API_KEY)
        .where(AUTH_API_KEY.SECRET_SHA256.eq(secretSha256))
        .and(AUTH_API_KEY
            .EXPIRES_AT
            .isNull()
            .or(AUTH_API_KEY.EXPIRES_AT.gt(DSL.currentOffsetDateTime())))
        .fetchOptional(0, String.class);
  }

  List<ApiKeyInfo> apiKeys() {
    return dsl.select(
            AUTH_API_KEY.KEY_ID,
            AUTH_API_KEY.PRINCIPAL,
            AUTH_API_KEY.DESCRIPTION,
            AUTH_API_KEY.EXPIRES_AT,
            AUTH_API_KEY.CREATED_AT)
        .from(AUTH_API_KEY)
        .orderBy(AUTH_API_KEY.KEY_ID)
        .fetch(r -> new ApiKeyInfo(
            r.value1(),
            r.value2(),
            r.value3(),
            Optional.ofNullable(r.value4()),
            r.value5(),
            Optional.empty()));
  }
}
