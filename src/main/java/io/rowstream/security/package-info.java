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
 * <p><b>The one authorizer.</b> {@code Authorizer} decides every access, for every door: given a
 * principal, the host it calls from, an operation, a resource type and a resource name, it answers
 * allowed or not, as Kafka's {@code StandardAuthorizer} does: a super user may do anything; a
 * matching DENY refuses; a matching ALLOW permits, and so does one that implies the operation
 * ({@code READ}, {@code WRITE}, {@code DELETE} and {@code ALTER} imply {@code DESCRIBE},
 * {@code ALTER_CONFIGS} implies {@code DESCRIBE_CONFIGS}, {@code ALL} everything); with no match the
 * call is refused (or allowed when no binding names the resource and
 * {@code allow.everyone.if.no.acl.found}). The node identity may do nothing an ACL governs. It
 * decides from a snapshot in memory, so a check costs no query.
 *
 * <p><b>How a door uses it.</b>
 *
 * <ol>
 *   <li>Authenticate the request or connection its own way (HTTP: Basic, bearer API key or client
 *       certificate; Kafka's protocol: SASL or the TLS certificate) through {@code Security}'s
 *       {@code Authenticator} and {@link io.rowstream.security.CertificatePrincipals}, to a
 *       {@code Principal}. Users and API keys are managed through the {@code Authenticator}, ACLs
 *       through the {@code Authorizer}.
 *   <li>Build a {@code Caller} from the principal, the client's address and
 *       {@link io.rowstream.security.Security#permissions()} (the authorizer, or
 *       {@link io.rowstream.security.Permissions#OPEN} with authentication off).
 *   <li>Before a request acts on a resource its own address names (the HTTP path; a Kafka request's
 *       topic or group field), ask {@link io.rowstream.security.Caller#require} with the operation
 *       the request needs: the HTTP door declares it with each route ({@code http.Rule}), a Kafka
 *       handler calls it per topic or group of the request. {@link io.rowstream.security.Caller#may}
 *       filters listings (the topics and groups the caller may {@code DESCRIBE}).
 *   <li>Hand the caller to every service call. Services check the resources that only a request's
 *       body names where they read it (the topics of a subscription or an assignment, a topic to
 *       create, the topics of a multi-topic config change), and Read again on every fetch, commit
 *       and seek, so that every door applies the same rule.
 *   <li>A refusal is a {@link io.rowstream.error.BrokerException} of {@code TOPIC_}, {@code GROUP_} or
 *       {@code CLUSTER_AUTHORIZATION_FAILED}; the door renders it in its own conventions from the
 *       one error table (REST 403 / 40301, the Kafka error of {@link io.rowstream.error.BrokerError}).
 * </ol>
 *
 * <p>May use: {@code config}, {@code db}, {@code error} and {@code logging}.
 */
package io.rowstream.security;
