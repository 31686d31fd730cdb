package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER;
import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.security.Acl;
import io.rowstream.security.AclFilter;
import io.rowstream.security.ApiKeyInfo;
import io.rowstream.security.Authenticator;
import io.rowstream.security.Authorizer;
import io.rowstream.security.Security;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Security management under {@code /v3/clusters/{cid}}: ACLs as the REST Proxy v3 {@code acls}
 * API serves them ({@code GET} with a filter in the query, {@code POST} one binding,
 * {@code POST acls:batch} many at once, all or none, {@code DELETE} the bindings a filter matches),
 * and the Rowstream additions {@code users} (HTTP Basic) and {@code api-keys} (bearer tokens, shown once). {@link AccessControl} lets only callers with
 * Describe (to look) or Alter (to change) on the cluster in; the {@link Authenticator} lets only a
 * super user change a super user's credentials.
 */
final class SecurityRoutesV3 {
  private static final List<String> DELETE_FILTERS =
      List.of("resource_type", "pattern_type", "operation", "permission");
  private final V3Links links;
  private final Authenticator authenticator;
  private final Authorizer authorizer;

  SecurityRoutesV3(V3Links links, Security security) {
    this.links = links;
    this.authenticator = security.authenticator();
    this.authorizer = security.authorizer();
  }

  void register(AuthorizedRoutes routes) {
    String cluster = "/v3/clusters/{cid}";
    routes.get(
        cluster + "/acls",
        Rule.cluster(DESCRIBE),
        links.inCluster(ctx -> ctx.json(aclList(ctx, authorizer.list(filter(ctx))))));
    routes.post(cluster + "/acls", Rule.cluster(ALTER), links.inCluster(this::createAcl));
    routes.post(cluster + "/acls:batch", Rule.cluster(ALTER), links.inCluster(this::createAcls));
    routes.delete(cluster + "/acls", Rule.cluster(ALTER), links.inCluster(ctx -> {
      requireDeleteFilters(ctx);
      ctx.json(aclList(ctx, authorizer.delete(filter(ctx))));
    }));
    routes.get(cluster + "/users", Rule.cluster(DESCRIBE), links.inCluster(this::listUsers));
    routes.post(cluster + "/users", Rule.cluster(ALTER), links.inCluster(this::putUser));
    routes.delete(
        cluster + "/users/{name}",
        Rule.cluster(ALTER),
        links.inCluster(ctx -> deleted(
            ctx,
            authenticator.deleteUser(Access.of(ctx).principal(), ctx.pathParam("name")),
            "User")));
    routes.get(
        cluster + "/api-keys",
        Rule.cluster(DESCRIBE),
        links.inCluster(ctx -> ctx.json(V3Links.list(
            "RowstreamApiKeyList",
            links.url(ctx, "/api-keys"),
            authenticator.apiKeys().stream().map(SecurityRoutesV3::apiKey).toList()))));
    routes.post(cluster + "/api-keys", Rule.cluster(ALTER), links.inCluster(this::createApiKey));
    routes.delete(
        cluster + "/api-keys/{id}",
        Rule.cluster(ALTER),
        links.inCluster(ctx -> deleted(
            ctx,
            authenticator.deleteApiKey(Access.of(ctx).principal(), ctx.pathParam("id")),
            "API key")));
  }

  private void createAcl(Context ctx) {
    Acl acl = acl(Json.parseObject(ctx.bodyAsBytes()));
    authorizer.add(acl);
    ctx.status(201).json(acl(ctx, acl));
  }

  /** {@code {"data":[binding, …]}}: every binding is checked before any is added; 201, no body. */
  private void createAcls(Context ctx) {
    JsonNode data = Json.parseObject(ctx.bodyAsBytes()).get("data");
    if (data == null || !data.isArray()) {
      throw HttpStatusException.badRequest("data is required: a list of ACL bindings.");
    }
    List<Acl> acls = new ArrayList<>();
    for (JsonNode entry : data) {
      if (!entry.isObject()) {
        throw HttpStatusException.badRequest(
            "Every entry of data must be an ACL binding object, got " + entry + ".");
      }
      acls.add(acl(entry));
    }
    authorizer.addAll(acls);
    ctx.status(201);
  }

  /** One binding of a create request; {@code pattern_type} LITERAL and {@code host} * when absent. */
  private static Acl acl(JsonNode body) {
    return valid(() -> new Acl(
        Acl.parse(Acl.ResourceType.class, "resource_type", text(body, "resource_type")),
        text(body, "resource_name"),
        Acl.parse(
            Acl.PatternType.class,
            "pattern_type",
            Optional.ofNullable(body.path("pattern_type").textValue()).orElse("LITERAL")),
        text(body, "principal"),
        Optional.ofNullable(body.path("host").textValue()).orElse(Acl.WILDCARD),
        Acl.parse(Acl.Operation.class, "operation", text(body, "operation")),
        Acl.parse(Acl.Permission.class, "permission", text(body, "permission"))));
  }

  /**
   * The bindings a list or delete names. {@code pattern_type=MATCH} (Kafka's pattern filter) takes
   * every binding that applies to the resource named: a LITERAL one of that name or of {@code *},
   * and a PREFIXED one of a prefix of it; without a resource name it takes every binding.
   */
  private AclFilter filter(Context ctx) {
    boolean match = "MATCH".equalsIgnoreCase(ctx.queryParam("pattern_type"));
    Optional<String> name = query(ctx, "resource_name", Function.identity());
    return valid(() -> new AclFilter(
        query(ctx, "resource_type", v -> Acl.parse(Acl.ResourceType.class, "resource_type", v)),
        match ? Optional.empty() : name,
        match
            ? Optional.empty()
            : query(ctx, "pattern_type", v -> Acl.parse(Acl.PatternType.class, "pattern_type", v)),
        query(ctx, "principal", Function.identity()),
        query(ctx, "host", Function.identity()),
        query(ctx, "operation", v -> Acl.parse(Acl.Operation.class, "operation", v)),
        query(ctx, "permission", v -> Acl.parse(Acl.Permission.class, "permission", v)),
        match ? name : Optional.empty()));
  }

  /**
   * A delete names the resource type, pattern type, operation and permission, each a value or
   * {@code ANY} (as the reference requires): a filter left out by mistake would otherwise match, and
   * delete, every binding the others match. 400 with error code 400 otherwise, as the reference.
   */
  private static void requireDeleteFilters(Context ctx) {
    for (String name : DELETE_FILTERS) {
      String value = ctx.queryParam(name);
      if (value == null || value.isEmpty() || value.equalsIgnoreCase("UNKNOWN")) {
        throw new HttpStatusException(
            HttpError.V3_BAD_REQUEST,
            name + " cannot be unspecified or UNKNOWN (ANY matches every value).");
      }
    }
  }

  /** A query parameter; absent or {@code ANY} (the REST Proxy's word) matches anything. */
  private static <T> Optional<T> query(Context ctx, String name, Function<String, T> parse) {
    String value = ctx.queryParam(name);
    return value == null || value.isEmpty() || value.equalsIgnoreCase("ANY")
        ? Optional.empty()
        : Optional.of(parse.apply(value));
  }

  private ObjectNode aclList(Context ctx, List<Acl> acls) {
    return V3Links.list(
        "KafkaAclDataList",
        links.url(ctx, "/acls"),
        acls.stream().map(a -> acl(ctx, a)).toList());
  }

  private ObjectNode acl(Context ctx, Acl acl) {
    ObjectNode node = Json.object().put("kind", "KafkaAcl");
    node.putObject("metadata")
        .put(
            "self",
            links.url(
                ctx,
                "/acls?resource_type=" + acl.resourceType()
                    + "&resource_name=" + acl.resourceName() + "&pattern_type=" + acl.patternType()
                    + "&principal=" + acl.principal() + "&host=" + acl.host() + "&operation="
                    + acl.operation()
                    + "&permission=" + acl.permission()));
    return node.put("cluster_id", links.clusterId())
        .put("resource_type", acl.resourceType().name())
        .put("resource_name", acl.resourceName())
        .put("pattern_type", acl.patternType().name())
        .put("principal", acl.principal())
        .put("host", acl.host())
        .put("operation", acl.operation().name())
        .put("permission", acl.permission().name());
  }

  private void listUsers(Context ctx) {
    ctx.json(V3Links.list(
        "RowstreamUserList",
        links.url(ctx, "/users"),
        authenticator.users().stream()
            .map(u -> Json.object()
                .put("kind", "RowstreamUser")
                .put("name", u.name())
                .put("principal", "User:" + u.name())
                .put("created_at", u.createdAt().toString()))
            .toList()));
  }

  /** Creates a user (201) or sets its password (200). */
  private void putUser(Context ctx) {
    JsonNode body = Json.parseObject(ctx.bodyAsBytes());
    String name = text(body, "name");
    String password = text(body, "password");
    boolean created =
        valid(() -> authenticator.putUser(Access.of(ctx).principal(), name, password));
    ctx.status(created ? 201 : 200)
        .json(Json.object()
            .put("kind", "RowstreamUser")
            .put("name", name)
            .put("principal", "User:" + name));
  }

  private void createApiKey(Context ctx) {
    JsonNode body = Json.parseObject(ctx.bodyAsBytes());
    String principal = text(body, "principal");
    String description =
        Optional.ofNullable(body.path("description").textValue()).orElse("");
    if (description.length() > 1000) {
      throw HttpStatusException.badRequest("description: at most 1000 characters.");
    }
    Optional<OffsetDateTime> expiresAt;
    try {
      expiresAt =
          Optional.ofNullable(body.path("expires_at").textValue()).map(OffsetDateTime::parse);
    } catch (DateTimeParseException e) {
      throw HttpStatusException.badRequest(
          "expires_at must be an ISO-8601 instant with an offset, e.g. 2027-01-01T00:00:00Z.");
    }
    ApiKeyInfo key = valid(() ->
        authenticator.createApiKey(Access.of(ctx).principal(), principal, description, expiresAt));
    ctx.status(201).json(apiKey(key));
  }

  private static ObjectNode apiKey(ApiKeyInfo key) {
    ObjectNode node = Json.object()
        .put("kind", "RowstreamApiKey")
        .put("key_id", key.keyId())
        .put("principal", "User:" + key.principal())
        .put("description", key.description())
        .put("expires_at", key.expiresAt().map(OffsetDateTime::toString).orElse(null))
        .put("created_at", key.createdAt().toString());
    key.token().ifPresent(t -> node.put("token", t));
    return node;
  }

  private static void deleted(Context ctx, boolean deleted, String what) {
    if (!deleted) {
      throw ErrorResponses.notFound(what + " not found.");
    }
    ctx.status(204);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw HttpStatusException.badRequest(field + " is required and must be a string.");
    }
    return value.textValue();
  }

  /** Runs a step whose IllegalArgumentException is the caller's mistake (400, 40002). */
  private static <T> T valid(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw HttpStatusException.badRequest(e.getMessage());
    }
  }
}
