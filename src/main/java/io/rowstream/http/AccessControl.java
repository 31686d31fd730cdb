package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER;
import static io.rowstream.security.Acl.Operation.ALTER_CONFIGS;
import static io.rowstream.security.Acl.Operation.CREATE;
import static io.rowstream.security.Acl.Operation.DELETE;
import static io.rowstream.security.Acl.Operation.DESCRIBE;
import static io.rowstream.security.Acl.Operation.DESCRIBE_CONFIGS;
import static io.rowstream.security.Acl.Operation.READ;
import static io.rowstream.security.Acl.Operation.WRITE;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.rowstream.security.Acl;
import io.rowstream.security.Acl.ResourceType;
import io.rowstream.security.CertificatePrincipals;
import io.rowstream.security.Principal;
import io.rowstream.security.Security;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication and authorization at the HTTP edge. A before-handler finds the principal of every
 * request (HTTP Basic, a bearer API key, or a verified client certificate) and refuses the others
 * with 401 / 40101; a before-matched handler applies the route's ACL rule, refusing with
 * 403 / 40301 before the route does anything. Every route must have a rule: a node with an
 * unruled route does not start. Listings filter themselves with {@link Access#permits}. A HEAD
 * request runs the GET route of its path, so it is authorized by that route's rule.
 */
final class AccessControl {
  /** What a route asks of its caller, given the request and the caller's access. */
  @FunctionalInterface
  interface Rule {
    void check(Context ctx, Access access);
  }

  static final Set<String> PUBLIC_PATHS = Set.of("/status/live", "/status/ready");
  private static final String REALM = "Basic realm=\"rowstream\", charset=\"UTF-8\", Bearer realm=\"rowstream\"";
  private static final Rule ANY_PRINCIPAL = (ctx, access) -> { };
  /** The one route a node may call, and only a node. */
  private static final String NODE_ROUTE = "POST " + ForwardRoutes.PATH;
  /** The path parameters of the GET route a HEAD request runs, which Javalin matches only later. */
  private static final String HEAD_PARAMS = "rowstream.headPathParams";

  private final Security security;
  private final CertificatePrincipals certificates;
  private final Map<String, Rule> rules = new HashMap<>();
  private InternalRouter router;

  AccessControl(Security security, CertificatePrincipals certificates) {
    this.security = security;
    this.certificates = certificates;
    String consumer = "/consumers/{g}/instances/{i}";
    String topics = "/v3/clusters/{cid}/topics";
    String groups = "/v3/clusters/{cid}/consumer-groups";
    rule("GET /status/live", ANY_PRINCIPAL);
    rule("GET /status/ready", ANY_PRINCIPAL);
    rule("GET /metrics", cluster(DESCRIBE));
    // Metadata: listings show only what the caller may describe; brokers and clusters are open to
    // every principal, as Kafka's metadata is.
    rule("GET /topics", ANY_PRINCIPAL);
    rule("GET /brokers", ANY_PRINCIPAL);
    for (String p : List.of("/topics/{t}", "/topics/{t}/partitions", "/topics/{t}/partitions/{p}",
        "/topics/{t}/partitions/{p}/offsets")) {
      rule("GET " + p, topic(DESCRIBE));
    }
    rule("GET /topics/{t}/partitions/{p}/records", topic(READ));
    rule("POST /topics/{t}", topic(WRITE));
    rule("POST /topics/{t}/partitions/{p}", topic(WRITE));
    // An idempotent producer's id grants nothing by itself: every produce still needs Write.
    rule("POST /producers", ANY_PRINCIPAL);
    // Node to node: the forwarding node checked the client's Write and charged its quota. Only a
    // node may append here (no user, not even a super user), and a node may do nothing else.
    rule(NODE_ROUTE, AccessControl::nodeOnly);
    rule("POST " + topics + "/{t}/records", topic(WRITE));
    rule("POST " + topics + "/{t}/records:batch", topic(WRITE));
    for (String p : List.of("/v3/clusters", "/v3/clusters/{cid}", "/v3/clusters/{cid}/brokers",
        "/v3/clusters/{cid}/brokers/{id}", topics, groups)) {
      rule("GET " + p, ANY_PRINCIPAL);
    }
    rule("POST " + topics, AccessControl::createTopic);
    for (String p : List.of(topics + "/{t}", topics + "/{t}/partitions", topics + "/{t}/partitions/{p}",
        topics + "/{t}/partitions/{p}/offset")) {
      rule("GET " + p, topic(DESCRIBE));
    }
    rule("DELETE " + topics + "/{t}", topic(DELETE));
    rule("PATCH " + topics + "/{t}", topic(ALTER));
    rule("POST " + topics + "/{t}/partitions", topic(ALTER));
    rule("GET " + topics + "/{t}/configs", topic(DESCRIBE_CONFIGS));
    rule("GET " + topics + "/{t}/configs/{name}", topic(DESCRIBE_CONFIGS));
    rule("PUT " + topics + "/{t}/configs/{name}", topic(ALTER_CONFIGS));
    rule("DELETE " + topics + "/{t}/configs/{name}", topic(ALTER_CONFIGS));
    rule("POST " + topics + "/{t}/configs:alter", topic(ALTER_CONFIGS));
    // Every topic's configs: the listing shows only topics the caller may DESCRIBE_CONFIGS.
    rule("GET " + topics + "/-/configs", ANY_PRINCIPAL);
    rule("POST " + topics + "/-/configs:alter", AccessControl::alteredTopicsConfigs);
    // Cluster-wide defaults of topic configs (Kafka's dynamic default broker configs): a cluster resource.
    String brokerConfigs = "/v3/clusters/{cid}/broker-configs";
    rule("GET " + brokerConfigs, cluster(DESCRIBE_CONFIGS));
    rule("GET " + brokerConfigs + "/{name}", cluster(DESCRIBE_CONFIGS));
    rule("PUT " + brokerConfigs + "/{name}", cluster(ALTER_CONFIGS));
    rule("DELETE " + brokerConfigs + "/{name}", cluster(ALTER_CONFIGS));
    rule("POST " + brokerConfigs + ":alter", cluster(ALTER_CONFIGS));
    // Configs of one broker, or of all: the cluster defaults again (BrokerConfigsByIdRoutesV3).
    String brokers = "/v3/clusters/{cid}/brokers";
    rule("GET " + brokers + "/-/configs", cluster(DESCRIBE_CONFIGS));
    rule("GET " + brokers + "/{id}/configs", cluster(DESCRIBE_CONFIGS));
    rule("GET " + brokers + "/{id}/configs/{name}", cluster(DESCRIBE_CONFIGS));
    rule("PUT " + brokers + "/{id}/configs/{name}", cluster(ALTER_CONFIGS));
    rule("DELETE " + brokers + "/{id}/configs/{name}", cluster(ALTER_CONFIGS));
    rule("POST " + brokers + "/{id}/configs:alter", cluster(ALTER_CONFIGS));
    // Replicas are topic metadata (Kafka's DescribeTopics): a broker's list keeps the topics the
    // caller may describe. Reassignments need Describe on the cluster, as ListPartitionReassignments.
    rule("GET " + brokers + "/{id}/partition-replicas", ANY_PRINCIPAL);
    rule("GET " + topics + "/{t}/partitions/{p}/replicas", topic(DESCRIBE));
    rule("GET " + topics + "/{t}/partitions/{p}/replicas/{id}", topic(DESCRIBE));
    rule("GET " + topics + "/-/partitions/-/reassignment", cluster(DESCRIBE));
    rule("GET " + topics + "/{t}/partitions/-/reassignment", cluster(DESCRIBE));
    rule("GET " + topics + "/{t}/partitions/{p}/reassignment", cluster(DESCRIBE));
    // Consumers: every call of an instance needs Read on its group; choosing topics needs Read on
    // each (a pattern could match any topic, now or later, so it needs Read on all: TOPIC *). The
    // consumer service applies the rest, for every door: only the instance's owner (or a super
    // user) finds it, and Read on each topic is checked again on every read, commit and seek.
    rule("POST /consumers/{g}", group(READ));
    for (String p : List.of("DELETE " + consumer, "GET " + consumer + "/assignments",
        "POST " + consumer + "/positions", "POST " + consumer + "/positions/beginning",
        "POST " + consumer + "/positions/end", "GET " + consumer + "/records", "GET " + consumer + "/subscription",
        "DELETE " + consumer + "/subscription", "POST " + consumer + "/offsets", "GET " + consumer + "/offsets")) {
      rule(p, group(READ));
    }
    rule("POST " + consumer + "/subscription", group(READ).and(AccessControl::subscribedTopics));
    rule("POST " + consumer + "/assignments", group(READ).and(AccessControl::assignedTopics));
    for (String p : List.of("", "/consumers", "/consumers/{c}", "/consumers/{c}/assignments",
        "/consumers/{c}/assignments/{t}/partitions/{p}", "/lags",
        "/lags/{t}/partitions/{p}", "/lag-summary")) {
      rule("GET " + groups + "/{g}" + p, group(DESCRIBE));
    }
    // Security management (SecurityRoutesV3): Describe on the cluster to look, Alter to change.
    for (String p : List.of("/acls", "/users", "/api-keys")) {
      rule("GET /v3/clusters/{cid}" + p, cluster(DESCRIBE));
      rule("POST /v3/clusters/{cid}" + p, cluster(ALTER));
    }
    rule("POST /v3/clusters/{cid}/acls:batch", cluster(ALTER));
    rule("DELETE /v3/clusters/{cid}/acls", cluster(ALTER));
    rule("DELETE /v3/clusters/{cid}/users/{name}", cluster(ALTER));
    rule("DELETE /v3/clusters/{cid}/api-keys/{id}", cluster(ALTER));
  }

  private void rule(String methodAndPath, Rule rule) {
    if (rules.put(methodAndPath, rule) != null) {
      throw new IllegalStateException("two rules for " + methodAndPath + " indicates a bug");
    }
  }

  /** Installs the handlers. */
  void register(RoutesConfig routes) {
    routes.before(this::authenticate);
    routes.beforeMatched(this::authorize);
  }

  /**
   * Takes the app's routes: fails unless every one has a rule, so that none is left open by
   * mistake, and finds the GET route of a HEAD request among them.
   */
  void useRoutes(InternalRouter routes) {
    this.router = routes;
    for (ParsedEndpoint e : routes.allHttpHandlers()) {
      Endpoint endpoint = e.endpoint;
      if (endpoint.method.isHttpMethod() && !rules.containsKey(key(endpoint))) {
        throw new IllegalStateException("route " + key(endpoint) + " has no access rule, which indicates a bug");
      }
    }
  }

  private static String key(Endpoint endpoint) {
    return endpoint.method.name() + " " + endpoint.path;
  }

  private void authenticate(Context ctx) {
    if (!security.enabled() || PUBLIC_PATHS.contains(ctx.path())) {
      return;
    }
    Principal principal = principal(ctx).orElseThrow(() ->
        new HttpStatusException(HttpError.UNAUTHENTICATED,
            "Authentication required: HTTP Basic, a bearer API key, or a client certificate.")
            .withHeader("WWW-Authenticate", REALM));
    ctx.attribute(Access.ATTRIBUTE, new Access(principal, security.authorizer(), ctx.ip()));
  }

  private Optional<Principal> principal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String value = space < 0 ? "" : header.substring(space + 1).trim();
      if (scheme.equalsIgnoreCase("Basic")) {
        return basic(value, ctx.ip());
      }
      if (scheme.equalsIgnoreCase("Bearer")) {
        return security.node(value).or(() -> security.authenticator().bearer(value));
      }
      return Optional.empty();
    }
    // A client certificate the TLS handshake verified against the trust store (mTLS), its subject
    // mapped by ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES.
    if (ctx.req().getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain
        && chain.length > 0) {
      return certificates.principal(chain[0].getSubjectX500Principal());
    }
    return Optional.empty();
  }

  private Optional<Principal> basic(String encoded, String clientAddress) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon <= 0 ? Optional.empty()
        : security.authenticator().basic(decoded.substring(0, colon), decoded.substring(colon + 1), clientAddress);
  }

  private void authorize(Context ctx) {
    if (!security.enabled() || PUBLIC_PATHS.contains(ctx.path())) {
      return;
    }
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (endpoint == null && HandlerType.HEAD.equals(ctx.method())) {
      ParsedEndpoint get = router.findFirstHttpHandlerEntry(HandlerType.GET, ctx.path());
      if (get != null) {
        endpoint = get.endpoint;
        ctx.attribute(HEAD_PARAMS, get.extractPathParams(ctx.path()));
      }
    }
    if (endpoint == null) {
      return;
    }
    Rule rule = rules.get(key(endpoint));
    if (rule == null) {
      throw new IllegalStateException("route " + key(endpoint) + " has no access rule, which indicates a bug");
    }
    Access access = Access.of(ctx);
    if (access.principal().isNode() && !NODE_ROUTE.equals(key(endpoint))) {
      throw new HttpStatusException(HttpError.FORBIDDEN,
          "Not authorized: the cluster's node identity may only forward "
          + "appends between nodes.");
    }
    rule.check(ctx, access);
  }

  private static void nodeOnly(Context ctx, Access access) {
    if (!access.principal().isNode()) {
      throw new HttpStatusException(HttpError.FORBIDDEN, "Not authorized: " + access.principal()
          + " may not call a node-to-node route; only the cluster's nodes may.");
    }
  }

  private static RuleChain topic(Acl.Operation op) {
    return (ctx, access) -> access.require(op, ResourceType.TOPIC, pathParam(ctx, "t"));
  }

  private static RuleChain group(Acl.Operation op) {
    return (ctx, access) -> access.require(op, ResourceType.GROUP, pathParam(ctx, "g"));
  }

  /** A path parameter of the route being authorized (for HEAD: of the GET route it runs). */
  private static String pathParam(Context ctx, String name) {
    Map<String, String> head = ctx.attribute(HEAD_PARAMS);
    return head != null ? head.get(name) : ctx.pathParam(name);
  }

  private static RuleChain cluster(Acl.Operation op) {
    return (ctx, access) -> access.requireCluster(op);
  }

  /** Kafka's rule: Create on the cluster, or on the topic to be created. */
  private static void createTopic(Context ctx, Access access) {
    if (access.permits(CREATE, ResourceType.CLUSTER, Acl.CLUSTER_NAME)) {
      return;
    }
    String name = body(ctx).map(b -> b.path("topic_name").asText("")).orElse("");
    access.require(CREATE, ResourceType.TOPIC, name.isEmpty() ? "(unnamed)" : name);
  }

  private static void subscribedTopics(Context ctx, Access access) {
    Optional<JsonNode> body = body(ctx);
    if (body.isEmpty()) {
      return;
    }
    if (body.get().hasNonNull("topic_pattern")) {
      access.require(READ, ResourceType.TOPIC, Acl.WILDCARD);
    }
    for (JsonNode topic : body.get().path("topics")) {
      access.require(READ, ResourceType.TOPIC, topic.asText());
    }
  }

  /** {@code topics/-/configs:alter}: ALTER_CONFIGS on every topic the body names. */
  private static void alteredTopicsConfigs(Context ctx, Access access) {
    body(ctx).ifPresent(b -> {
      for (JsonNode entry : b.path("data")) {
        access.require(ALTER_CONFIGS, ResourceType.TOPIC, entry.path("topic_name").asText());
      }
    });
  }

  private static void assignedTopics(Context ctx, Access access) {
    body(ctx).ifPresent(b -> {
      for (JsonNode partition : b.path("partitions")) {
        access.require(READ, ResourceType.TOPIC, partition.path("topic").asText());
      }
    });
  }

  /** The JSON body, if it is one; a malformed body is the route's to refuse. */
  private static Optional<JsonNode> body(Context ctx) {
    try {
      JsonNode node = Json.MAPPER.readTree(ctx.bodyAsBytes());
      return Optional.ofNullable(node).filter(JsonNode::isObject);
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A rule that can be followed by another. */
  @FunctionalInterface
  interface RuleChain extends Rule {
    default Rule and(Rule next) {
      return (ctx, access) -> {
        check(ctx, access);
        next.check(ctx, access);
      };
    }
  }
}
