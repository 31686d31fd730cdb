package io.rowstream.kafka.auth;

import io.rowstream.kafka.KafkaApis;
import io.rowstream.security.Authorizer;
import io.rowstream.security.Security;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;

/** The security APIs of the Kafka door: SASL and ACLs. */
public final class AuthApis {
  private AuthApis() {}

  /**
   * Registers SaslHandshake 0..1, SaslAuthenticate 0..2 and the ACL APIs 1..3: every version
   * kafka-clients 4.4 parses (v0 of the ACL APIs was removed in Kafka 4.0; v3 only adds the USER
   * resource type, which Rowstream keeps no ACLs on).
   */
  public static void serve(KafkaApis apis, Security security) {
    PlainAuthentication plain = new PlainAuthentication(security);
    apis.serve(
        ApiKeys.SASL_HANDSHAKE, 0, 1, SaslHandshakeRequest.class, new SaslHandshakeHandler(plain));
    apis.serve(
        ApiKeys.SASL_AUTHENTICATE,
        0,
        2,
        SaslAuthenticateRequest.class,
        new SaslAuthenticateHandler(plain));
    AclAccess access = new AclAccess(security);
    Authorizer acls = security.authorizer();
    apis.serve(
        ApiKeys.DESCRIBE_ACLS,
        1,
        3,
        DescribeAclsRequest.class,
        new DescribeAclsHandler(access, acls));
    apis.serve(
        ApiKeys.CREATE_ACLS, 1, 3, CreateAclsRequest.class, new CreateAclsHandler(access, acls));
    apis.serve(
        ApiKeys.DELETE_ACLS, 1, 3, DeleteAclsRequest.class, new DeleteAclsHandler(access, acls));
  }
}
