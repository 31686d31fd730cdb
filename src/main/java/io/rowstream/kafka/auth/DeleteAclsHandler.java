package io.rowstream.kafka.auth;

import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.AclFilter;
import io.rowstream.security.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls: for each filter, in order, deletes the bindings it matches and lists them (a binding
 * two filters match is listed under the first); a filter with UNKNOWN elements is INVALID_REQUEST;
 * ALTER on the cluster.
 */
final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest> {
  private final AclAccess access;
  private final Authorizer authorizer;

  DeleteAclsHandler(AclAccess access, Authorizer authorizer) {
    this.access = access;
    this.authorizer = authorizer;
  }

  @Override
  public ApiMessage handle(DeleteAclsRequest request, KafkaSession session) {
    Optional<ApiMessage> refused = access.refusal(request, session, Acl.Operation.ALTER);
    if (refused.isPresent()) {
      return refused.get();
    }
    List<DeleteAclsFilterResult> results = new ArrayList<>();
    for (AclBindingFilter filter : request.filters()) {
      DeleteAclsFilterResult result = new DeleteAclsFilterResult().setErrorCode(Errors.NONE.code());
      Optional<AclFilter> rowstream;
      try {
        rowstream = KafkaAcls.toFilter(filter);
      } catch (InvalidRequestException e) {
        results.add(
            result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage()));
        continue;
      }
      List<Acl> deleted = rowstream.map(authorizer::delete).orElse(List.of());
      results.add(result.setMatchingAcls(deleted.stream()
          .map(acl -> DeleteAclsResponse.matchingAcl(KafkaAcls.toKafka(acl), ApiError.NONE))
          .toList()));
    }
    return new DeleteAclsResponseData().setFilterResults(results);
  }
}
