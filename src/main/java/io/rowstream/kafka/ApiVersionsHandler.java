package io.rowstream.kafka;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions: the APIs and versions this node serves, exactly the {@link KafkaApis} table. A
 * request whose client software name or version is malformed is answered INVALID_REQUEST, as Kafka
 * does (v3+).
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {
  private final KafkaApis apis;

  ApiVersionsHandler(KafkaApis apis) {
    this.apis = apis;
  }

  @Override
  public ApiMessage handle(ApiVersionsRequest request, KafkaSession session) {
    ApiVersionsResponseData data = new ApiVersionsResponseData();
    if (request.version() >= 3 && !request.isValid()) {
      return data.setErrorCode(Errors.INVALID_REQUEST.code()).setApiKeys(apis.advertised());
    }
    return data.setErrorCode(Errors.NONE.code()).setApiKeys(apis.advertised());
  }
}
