package id.camelpayouts.gateway;

import id.camelpayouts.process.GatewayProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.twin.DuitkuTwin;

/** With PAYOUTS_JMS_URL the gateway uses that broker and starts none of its own; readiness includes it. */
class ExternalBrokerTest {

    @Test
    void requestsAndOutcomesGoThroughTheConfiguredBroker() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "external-broker");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port;
        EmbeddedBroker external = new EmbeddedBroker(work.resolve("external-broker"), url, new EmbeddedBroker.Queues(
                "payouts.requests", "payouts.outcomes", "payouts.dead-letter"), 3, GatewayProcess.brokerUsers());
        DuitkuTwin twin = new DuitkuTwin(TestGateways.twinSettings(0, 5_000), Clock.systemUTC());
        external.start();
        twin.start();
        Properties settings = TestGateways.settings(twin, "jdbc:h2:mem:external-broker", work.toString());
        settings.put("payouts.jms.url", url);
        settings.put("payouts.jms.user", GatewayProcess.JMS_GATEWAY.name());
        settings.put("payouts.jms.password", GatewayProcess.JMS_GATEWAY.password());
        Main gateway = TestGateways.start(settings);
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url);
        try (Connection producer = broker.createConnection(GatewayProcess.JMS_PRODUCER.name(),
                GatewayProcess.JMS_PRODUCER.password());
                Connection consumer = broker.createConnection(GatewayProcess.JMS_CONSUMER.name(),
                        GatewayProcess.JMS_CONSUMER.password())) {
            assertThat(Files.exists(work.resolve("broker"))).as("no embedded broker journal").isFalse();
            Session sending = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sending.createProducer(sending.createQueue("payouts.requests")).send(sending.createTextMessage(
                    GatewayTestSupport.instruction("ext-1", "8760673566", 50000)));
            consumer.start();
            Session session = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer outcomes = session.createConsumer(session.createQueue("payouts.outcomes"),
                    "JMSCorrelationID='ext-1'");
            String last = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while ((last == null || !last.contains("SUCCEEDED")) && System.currentTimeMillis() < deadline) {
                TextMessage message = (TextMessage) outcomes.receive(1000);
                last = message == null ? last : message.getText();
            }
            assertThat(last).contains("\"reference\":\"ext-1\"").contains("\"status\":\"SUCCEEDED\"");
            await().atMost(Duration.ofSeconds(5)).until(() -> twin.transfersExecuted() == 1);

            // readiness includes the broker: DOWN, saying so, once it is gone
            assertThat(broker(gateway).getState()).isEqualTo(HealthCheck.State.UP);
            external.stop();
            HealthCheck.Result down = broker(gateway);
            assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(down.getMessage()).hasValueSatisfying(message -> assertThat(message).startsWith("broker")
                    .doesNotContain(url));
        } finally {
            broker.close();
            TestGateways.crash(gateway);
            twin.stop();
            external.stop();
        }
    }

    private static HealthCheck.Result broker(Main gateway) {
        return HealthCheckRegistry.get(gateway.getCamelContext()).getCheck("payouts-broker").orElseThrow()
                .callReadiness();
    }
}
