package io.rowstream.http;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.validation.ValidationException;
import io.rowstream.config.NodeConfig;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.error.RestError;
import io.rowstream.logging.LogText;
import io.rowstream.security.Acl;
import io.rowstream.security.AuthenticationThrottledException;
import io.rowstream.security.CertificatePrincipals;
import io.rowstream.services.BrokerServices;
import io.rowstream.services.OpsServices;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the node's HTTP server from its collaborators: the REST Proxy v2 API, v3 admin and
 * produce, and Rowstream's additions. Every error, including those Jetty raises before routing,
 * is {@code {"error_code", "message"}}.
 */
public final class HttpApp {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("io.rowstream.access");

  /**
   * Connections the listener holds for acceptance. Java's default backlog is 50: a burst of new
   * connections beyond it (clients opening connections after a pause) has its SYNs dropped, and
   * clients resend them only after TCP's initial 1 s timeout. That was the one-second stall of the
   * latency runs (TcpExtListenOverflows grew by 284 in a run with a 1.25 s stall, by 0 in one
   * without). The kernel caps it at net.core.somaxconn.
   */
  static final int ACCEPT_QUEUE_SIZE = 1024;

  private HttpApp() {}

  private static ServerConnector plainConnector(
      Server server, HttpConfiguration http, String host, int port, SlowRequests slow) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.addEventListener(slow);
    connector.setHost(jettyHost(host));
    connector.setPort(port);
    connector.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
    return connector;
  }

  /** The host a connector binds: null (Jetty's wildcard) for every interface. */
  static String jettyHost(String bindHost) {
    return NodeConfig.ALL_INTERFACES.equals(bindHost) ? null : bindHost;
  }

  public static Javalin create(BrokerServices services, NodeConfig config, OpsServices ops) {
    RouteRules rules = new RouteRules();
    AccessControl access = new AccessControl(
        ops.security(),
        CertificatePrincipals.fromRules(config.ops().tls().principalMappingRules()),
        rules);
    EdgeLimits limits =
        new EdgeLimits(config.ops().limits(), ops.metrics(), services.fetchMemory());
    SlowRequests slow = new SlowRequests(config.ops().limits());
    Javalin javalin = Javalin.create(app -> {
      app.startup.showJavalinBanner = false;
      app.concurrency.useVirtualThreads = true;
      app.jsonMapper(new JavalinJackson(Json.MAPPER, true));
      app.http.maxRequestSize = config.maxRequestBytes();
      app.http.prefer405over404 = true;
      app.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(16 * 1024));
      if (config.ops().tls().enabled()) {
        app.jetty.addConnector((server, http) -> {
          Connector connector = TlsListener.connector(
              server, http, config.ops().tls(), config.bindHost(), config.httpPort());
          connector.addEventListener(slow);
          return connector;
        });
      } else {
        app.jetty.addConnector((server, http) ->
            plainConnector(server, http, config.bindHost(), config.httpPort(), slow));
      }
      app.jetty.modifyServer(server -> {
        server.setErrorHandler(new JettyJsonErrorHandler());
        server.insertHandler(new SizeLimitHandler(config.maxRequestBytes(), -1));
        server.insertHandler(slow);
        // On stop: connectors close, new requests on open connections get 503, and requests in
        // flight
        // finish within half the node's shutdown bound (the rest is for the broker's own
        // resources).
        server.insertHandler(new GracefulHandler());
        server.setStopTimeout(config.ops().shutdown().timeout().toMillis() / 2);
      });
      // One line per request, key=value; never a query string, header or body (they may hold
      // secrets or records).
      app.requestLogger.http((ctx, ms) -> {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        ops.metrics()
            .request(route, ctx.method().name(), ctx.statusCode(), (long) (ms * 1_000_000));
        ACCESS.info(
            "principal={} method={} path={} route={} status={} durationMs={}",
            LogText.of(Access.of(ctx).principal()),
            ctx.method(),
            LogText.of(ctx.path()),
            route,
            ctx.statusCode(),
            String.format("%.1f", ms));
      });

      access.register(app.routes);
      LoopbackHosts.register(
          app.routes, config.bindHost(), config.ops().auth().enabled(), config.advertisedUrl());
      RequestContentTypes.register(app.routes);
      ResponseTypes.register(app.routes);
      // Javalin runs a POST as the method this header names: a form could DELETE. Refused.
      app.routes.before(ctx -> {
        if (ctx.header("X-HTTP-Method-Override") != null) {
          throw HttpStatusException.badRequest(
              "X-HTTP-Method-Override is not supported: send the method itself.");
        }
      });
      AuthorizedRoutes routes = new AuthorizedRoutes(app.routes, rules);
      new StatusRoutes(services.health()).register(routes);
      new ConsoleRoutes().register(routes);
      routes.get(
          "/metrics",
          Rule.cluster(Acl.Operation.DESCRIBE),
          ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
              .result(ops.metrics().scrape()));
      new ProduceRoutes(services.produce(), services.clusterId(), limits).register(routes);
      new ForwardRoutes(services.produce(), limits).register(routes);
      new ProducerRoutes(services.produce().producers()).register(routes);
      new MetadataRoutesV2(services).register(routes);
      new ClusterRoutesV3(services).register(routes);
      new TopicRoutesV3(services).register(routes);
      new TopicConfigRoutesV3(services).register(routes);
      new BrokerConfigRoutesV3(services).register(routes);
      new BrokerConfigsByIdRoutesV3(services).register(routes);
      new ReplicaRoutesV3(services).register(routes);
      new SegmentRoutesV3(services).register(routes);
      new ReassignmentRoutesV3(services).register(routes);
      new PartitionRecordsRoutes(services, limits).register(routes);
      new ConsumerRoutes(services.consumers(), services.advertisedUrl(), limits).register(routes);
      new ConsumerGroupRoutes(services.consumers()).register(routes);
      new ConsumerGroupRoutesV3(services).register(routes);
      new ConsumerGroupAdminRoutesV3(services).register(routes);
      new SecurityRoutesV3(
              new V3Links(services.clusterId(), services.advertisedUrl()), ops.security())
          .register(routes);

      app.routes.exception(BrokerException.class, (e, ctx) -> brokerError(ctx, e));
      app.routes.exception(
          UnreadableBodyException.class,
          (e, ctx) -> ErrorResponses.answer(
              ctx,
              ErrorResponses.unreadableBody(ErrorResponses.Family.of(ctx.path())),
              e.getMessage()));
      app.routes.exception(
          AuthenticationThrottledException.class,
          (e, ctx) -> ErrorResponses.answer(
              ctx,
              new HttpStatusException(HttpError.THROTTLED, e.getMessage())
                  .withHeader(
                      "Retry-After",
                      Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)))));
      app.routes.exception(HttpStatusException.class, (e, ctx) -> ErrorResponses.answer(ctx, e));
      app.routes.exception(HttpResponseException.class, (e, ctx) -> {
        String allow = e.getDetails().get("availableMethods");
        if (allow != null) {
          ctx.header("Allow", allow);
        }
        ErrorResponses.answer(ctx, ErrorResponses.ofStatus(e.getStatus()), e.getMessage());
      });
      // A parser limit reached where no route turned it into its own refusal: still the client's
      // mistake.
      app.routes.exception(
          StreamConstraintsException.class,
          (e, ctx) -> ErrorResponses.answer(ctx, Json.overLimit(e)));
      app.routes.exception(
          ValidationException.class,
          (e, ctx) -> ErrorResponses.answer(
              ctx,
              HttpStatusException.badRequest(
                  "Invalid parameter(s): " + e.getErrors().keySet())));
      app.routes.exception(Exception.class, (e, ctx) -> {
        // Database failures outside the stores' own translation (e.g. no pool connection in time).
        var translated = services.failures().translate(e);
        if (translated.isPresent()) {
          brokerError(ctx, translated.get());
          return;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
          if (c instanceof HttpException he) {
            ErrorResponses.answer(ctx, ErrorResponses.ofStatus(he.getCode()), he.getReason());
            return;
          }
        }
        ctx.status(InternalErrors.ANSWER.status()).json(InternalErrors.report(ctx.path(), e));
      });
    });
    access.useRoutes(javalin.unsafe.internalRouter);
    return javalin;
  }

  /** A broker error's status and body; one that needs a retry or an operator logged at WARN with its cause. */
  private static void brokerError(Context ctx, BrokerException e) {
    RestError answer = ErrorResponses.of(e.error(), ErrorResponses.Family.of(ctx.path()));
    if (answer.status() >= 500 && e.error() != BrokerError.INTERNAL) {
      LOG.warn(
          "request failed path={} error={}",
          LogText.of(ctx.path()),
          LogText.of(e.getMessage()),
          e.getCause());
    }
    ctx.status(answer.status()).json(InternalErrors.body(e, ctx.path()));
  }
}
