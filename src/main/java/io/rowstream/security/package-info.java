/**
 * Who a request is and what it may do, Kafka's model: principals
 * ({@link io.rowstream.security.Principal}; users, API keys, client certificates mapped as Kafka
 * maps them, and the cluster's own nodes), authentication with throttled password checks
 * ({@link io.rowstream.security.Authenticator}), and the ACL decision
 * ({@link io.rowstream.security.Authorizer}, seen by the services as
 * {@link io.rowstream.security.Permissions} inside a {@link io.rowstream.security.Caller}).
 * {@link io.rowstream.security.Security} is its public face; {@code AclStore} and
 * {@code CredentialStore} hold the SQL of {@code acl}, {@code auth_user} and {@code auth_api_key}.
 *
 * <p>What a door calls: {@code Security} for the {@code Authenticator} (who a request is: Basic,
 * bearer API key, certificate; users and API keys) and the {@code Authorizer} (the ACL decision;
 * ACLs); a {@code Caller} is handed to every service call, which asks it before acting on a
 * resource.
 *
 * <p>May use: {@code config}, {@code db} and the root package's error types and {@code LogText}.
 */
package io.rowstream.security;
