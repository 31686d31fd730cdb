package io.rowstream.http;

import io.rowstream.support.SecuredCluster;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import org.junit.jupiter.api.AfterAll;

/**
 * A conformance test class's cluster: two nodes with authentication on, the super user
 * {@code admin} and a user {@code alice} with no ACL but those the class grants.
 */
abstract class TwoSecuredNodes {
  static SecuredCluster cluster;
  static TestBroker broker;
  static TestHttp admin;
  static TestHttp alice;
  static String base;

  static void startTwoNodes(String purpose) {
    cluster = SecuredCluster.start(purpose, 2);
    broker = cluster.broker();
    admin = cluster.admin();
    base = cluster.base();
    alice = cluster.user("alice");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }
}
