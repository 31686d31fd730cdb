package io.rowstream.http;

import io.rowstream.config.OpsConfig;
import io.rowstream.tls.TlsStores;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener: TLS 1.2 and 1.3 only, a key from PEM files (certificate chain and PKCS#8
 * key) or a PKCS12 key store, and optionally client certificates checked against a trust store
 * (PEM CA certificates or PKCS12), whose subject becomes the request's principal.
 */
final class TlsListener {
  private TlsListener() {}

  static Connector connector(
      Server server, HttpConfiguration http, OpsConfig.Tls tls, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setIncludeProtocols(TlsStores.PROTOCOLS);
    ssl.setKeyStore(TlsStores.keyStore(tls));
    ssl.setKeyStorePassword(TlsStores.keyPassword(tls));
    TlsStores.trustStore(tls).ifPresent(ssl::setTrustStore);
    switch (tls.clientAuth()) {
      case "need" -> ssl.setNeedClientAuth(true);
      case "want" -> ssl.setWantClientAuth(true);
      default -> {}
    }
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Nodes are often reached by IP or a load balancer name the certificate does not list.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(
        server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost(HttpApp.jettyHost(host));
    connector.setPort(port);
    connector.setAcceptQueueSize(HttpApp.ACCEPT_QUEUE_SIZE);
    return connector;
  }
}
