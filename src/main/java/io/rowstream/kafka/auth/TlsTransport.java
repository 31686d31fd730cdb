package io.rowstream.kafka.auth;

import io.rowstream.config.OpsConfig;
import io.rowstream.kafka.KafkaTransport;
import io.rowstream.security.CertificatePrincipals;
import io.rowstream.security.Principal;
import io.rowstream.tls.TlsStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The Kafka listener over TLS, from the settings of the HTTPS listener ({@code ROWSTREAM_TLS_*}):
 * TLS 1.2 and 1.3, the same key, and with {@code ROWSTREAM_TLS_CLIENT_AUTH} want or need, client
 * certificates verified against the same trust store ({@code need}: a client without one fails
 * the handshake). A verified certificate's subject is mapped to a principal exactly as HTTP maps
 * it ({@code ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES}).
 */
public final class TlsTransport implements KafkaTransport {
  private final SSLContext context;
  private final String clientAuth;
  private final CertificatePrincipals principals;

  private TlsTransport(SSLContext context, String clientAuth, CertificatePrincipals principals) {
    this.context = context;
    this.clientAuth = clientAuth;
    this.principals = principals;
  }

  /** TLS when the node has a key configured, else plain TCP. */
  public static KafkaTransport of(OpsConfig.Tls tls) {
    return tls.enabled()
        ? new TlsTransport(
            TlsStores.serverContext(tls),
            tls.clientAuth(),
            CertificatePrincipals.fromRules(tls.principalMappingRules()))
        : KafkaTransport.PLAINTEXT;
  }

  @Override
  public ServerSocket bind(InetSocketAddress address, int backlog) throws IOException {
    SSLServerSocket server =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    SSLParameters parameters = server.getSSLParameters();
    parameters.setProtocols(TlsStores.PROTOCOLS);
    switch (clientAuth) {
      case "need" -> parameters.setNeedClientAuth(true);
      case "want" -> parameters.setWantClientAuth(true);
      default -> {}
    }
    server.setSSLParameters(parameters);
    server.setReuseAddress(true);
    server.bind(address, backlog);
    return server;
  }

  @Override
  public Handshake handshake(Socket socket) throws IOException {
    SSLSocket tls = (SSLSocket) socket;
    tls.startHandshake();
    return new Handshake(true, certificatePrincipal(tls));
  }

  private Optional<Principal> certificatePrincipal(SSLSocket tls) {
    Certificate[] chain;
    try {
      chain = tls.getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException noCertificate) {
      return Optional.empty();
    }
    return chain.length > 0 && chain[0] instanceof X509Certificate leaf
        ? principals.principal(leaf.getSubjectX500Principal())
        : Optional.empty();
  }
}
