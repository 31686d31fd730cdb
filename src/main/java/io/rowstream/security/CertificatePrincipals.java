package io.rowstream.security;

import java.io.IOException;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * The principal of a verified client certificate, as Kafka's {@code DefaultKafkaPrincipalBuilder}
 * makes it: the subject DN in RFC 2253 form ({@link X500Principal#getName()}, e.g.
 * {@code O=Acme,CN=bob}), mapped by Kafka's {@code ssl.principal.mapping.rules}
 * ({@code RULE:pattern/replacement/[LU]} … {@code DEFAULT}) through kafka-clients' own
 * {@link SslPrincipalMapper}, so every door maps a subject alike. A subject no rule matches (or one
 * mapped to an empty name) is no principal: the request is not authenticated.
 */
public final class CertificatePrincipals {
  private final SslPrincipalMapper mapper;

  private CertificatePrincipals(SslPrincipalMapper mapper) {
    this.mapper = mapper;
  }

  /** Rules in Kafka's syntax; throws {@link IllegalArgumentException} for rules it cannot parse. */
  public static CertificatePrincipals fromRules(String rules) {
    return new CertificatePrincipals(SslPrincipalMapper.fromRules(rules));
  }

  public Optional<Principal> principal(X500Principal subject) {
    String name;
    try {
      name = mapper.getName(subject.getName());
    } catch (IOException noMatchingRule) {
      return Optional.empty();
    }
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(new Principal(name));
  }
}
