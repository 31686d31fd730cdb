/**
 * The HTTP door: Confluent's REST Proxy API (v2, v3 admin and produce) and Rowstream's additions
 * (security, status, metrics), built by {@link io.rowstream.http.HttpApp}. A route is registered
 * with the {@code Rule} it needs ({@code AuthorizedRoutes}; a node with an unruled route does not
 * start); it parses the request, is authorized by that rule ({@code AccessControl}, asking the one
 * authorizer through a {@code Caller}), calls one service method and renders the answer;
 * errors are rendered once, by {@code ErrorResponses}, from {@code BrokerError} and the HTTP-only
 * {@code HttpError}. The edge also holds what only HTTP has: TLS, request limits and quotas
 * ({@code EdgeLimits}), content types and embedded formats, v3 links, the node-to-node append
 * ({@code ForwardRoutes}, {@code LeaderClient}), and the web console's static files at {@code /ui}
 * ({@code ConsoleRoutes}: open to anyone; the console itself calls only the public API).
 *
 * <p>May use: the services and the values they take and return ({@code services.BrokerServices},
 * {@code services.OpsServices}; {@code cluster}, {@code consumer}, {@code group}, {@code log},
 * {@code produce}, {@code topic}, {@code security}, {@code metrics}), {@code config},
 * {@code background} (the slow-request check's loop), {@code error} (the error types) and
 * {@code logging} ({@code LogText}). Never a store, {@code db}, jOOQ or JDBC ({@code ArchitectureTest}).
 */
package io.rowstream.http;
