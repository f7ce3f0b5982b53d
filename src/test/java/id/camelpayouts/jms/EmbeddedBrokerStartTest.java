package id.camelpayouts.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import id.camelpayouts.process.GatewayProcess;

/**
 * The embedded broker starts beside the building of the routes: its service's start still waits for
 * it (nothing is ready before the broker is), and a broker started so never outlives a gateway that
 * failed to start (its threads would keep the process alive).
 */
class EmbeddedBrokerStartTest {

    final Path work = Files.createTempDirectory(Path.of("target"), "broker-start");
    final String url = "tcp://127.0.0.1:" + freePort();

    EmbeddedBrokerStartTest() throws IOException {
    }

    @Test
    void theServiceStartsOnlyOnceTheBrokerStartedInTheBackgroundTakesConnections() throws Exception {
        EmbeddedBroker broker = broker(work.resolve("broker"));
        broker.startInBackground();
        broker.start();
        try {
            connect().close(); // at once, no retry
        } finally {
            broker.stop();
        }
        assertThatThrownBy(this::connect).as("stopped with the service").isInstanceOf(JMSException.class);
    }

    @Test
    void aBrokerStartedInTheBackgroundIsStoppedWithAServiceThatNeverStarted() throws Exception {
        EmbeddedBroker broker = broker(work.resolve("broker"));
        broker.startInBackground();
        broker.shutdown();
        assertThatThrownBy(this::connect).isInstanceOf(JMSException.class);
    }

    @Test
    void aBrokerStartedInTheBackgroundIsStoppedWhenItsContextFailsToStart() throws Exception {
        EmbeddedBroker broker = broker(work.resolve("broker"));
        try (CamelContext context = new DefaultCamelContext()) {
            context.addService(broker, true, true); // as the gateway adds it
            broker.startInBackground();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:taken").routeId("first").log("never");
                    from("direct:taken").routeId("second").log("never"); // one consumer per direct endpoint
                }
            });
            assertThat(catchThrowable(context::start)).as("two consumers of one direct endpoint").isNotNull();
        }
        assertThat(work.resolve("broker")).as("the broker had started").exists();
        assertThatThrownBy(this::connect).as("and is stopped").isInstanceOf(JMSException.class);
    }

    private EmbeddedBroker broker(Path directory) {
        return new EmbeddedBroker(directory, url, new EmbeddedBroker.Queues("payouts.requests", "payouts.outcomes",
                "payouts.dead-letter"), 3, GatewayProcess.brokerUsers());
    }

    private Connection connect() throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url + "?reconnectAttempts=0");
        factory.setCallTimeout(2000);
        return factory.createConnection(GatewayProcess.JMS_PRODUCER.name(), GatewayProcess.JMS_PRODUCER.password());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
