package io.rowstream.cli;

import io.rowstream.pem.PemCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts the certificates of a PEM file ({@code --ca-cert}), instead of the
 * JDK's: for a node whose certificate is self-signed or signed by a private authority, as
 * {@code curl --cacert} does.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The context trusting every certificate in {@code pemFile}; a usage error when it has none. */
  static SSLContext context(String pemFile) {
    KeyStore trusted;
    try {
      trusted = PemCertificates.trustStore(Path.of(pemFile));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--ca-cert " + pemFile + " holds no PEM certificate");
    } catch (IOException | GeneralSecurityException e) {
      throw new UsageException("cannot read the certificates of --ca-cert " + pemFile + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS could not be set up", e);
    }
  }
}
