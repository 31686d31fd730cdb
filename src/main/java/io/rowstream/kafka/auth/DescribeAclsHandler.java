package io.rowstream.kafka.auth;

import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Authorizer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/** DescribeAcls: the bindings the filter matches, grouped by resource; DESCRIBE on the cluster. */
final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequest> {
  private final AclAccess access;
  private final Authorizer authorizer;

  DescribeAclsHandler(AclAccess access, Authorizer authorizer) {
    this.access = access;
    this.authorizer = authorizer;
  }

  @Override
  public ApiMessage handle(DescribeAclsRequest request, KafkaSession session) {
    Optional<ApiMessage> refused = access.refusal(request, session, Acl.Operation.DESCRIBE);
    if (refused.isPresent()) {
      return refused.get();
    }
    List<AclBinding> found =
        KafkaAcls.toFilter(request.filter()).map(authorizer::list).orElse(List.of()).stream()
            .map(KafkaAcls::toKafka)
            .toList();
    return new DescribeAclsResponseData()
        .setErrorCode(Errors.NONE.code())
        .setResources(DescribeAclsResponse.aclsResources(found));
  }
}
