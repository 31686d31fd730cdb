package io.rowstream.kafka.auth;

import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;

/**
 * CreateAcls: each binding gets its own result, as in Kafka: one Rowstream cannot keep is
 * INVALID_REQUEST with the reason, the others are added together (one that exists already stays
 * as it is); ALTER on the cluster.
 */
final class CreateAclsHandler implements ApiHandler<CreateAclsRequest> {
  private final AclAccess access;
  private final Authorizer authorizer;

  CreateAclsHandler(AclAccess access, Authorizer authorizer) {
    this.access = access;
    this.authorizer = authorizer;
  }

  @Override
  public ApiMessage handle(CreateAclsRequest request, KafkaSession session) {
    Optional<ApiMessage> refused = access.refusal(request, session, Acl.Operation.ALTER);
    if (refused.isPresent()) {
      return refused.get();
    }
    List<AclCreationResult> results = new ArrayList<>();
    List<Acl> valid = new ArrayList<>();
    for (AclCreation creation : request.data().creations()) {
      AclCreationResult result = new AclCreationResult().setErrorCode(Errors.NONE.code());
      try {
        valid.add(KafkaAcls.toAcl(CreateAclsRequest.aclBinding(creation)));
      } catch (InvalidRequestException | IllegalArgumentException e) {
        // kafka-clients' own binding classes refuse ANY and MATCH where a binding needs a value.
        result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
      }
      results.add(result);
    }
    authorizer.addAll(valid);
    return new CreateAclsResponseData().setResults(results);
  }
}
