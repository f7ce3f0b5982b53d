package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host the README's "Embedding in your ESB" shows, taken from the README itself: its route
 * files (the YAML under "A complete host", as written there, with its jms: endpoints) and the JMS
 * row of "What you add" (camel-jms, the Artemis client and the jms component's connection factory
 * set by the one property the README gives), against a broker of the host's own. The ERP's message
 * goes in by the host's route; its outcomes, PENDING then SUCCEEDED, come out on the host's queue,
 * and a refused instruction on the host's refused queue with its reason. EsbHostApplicationTest runs
 * the same host with mocks for the queues.
 */
class ReadmeHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theReadmesHostWithItsJmsQueuesPaysAndDeliversTheOutcomes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("host.yaml"), readmeHostRoutes());
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false).setSecurityEnabled(false).setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
        broker.start();
        Properties settings = new Properties();
        settings.put("camel.main.name", "readme-host");
        settings.put("payouts.db.url", "jdbc:h2:mem:readme-host;DB_CLOSE_DELAY=-1");
        settings.put("camel.main.routes-include-pattern", "file:" + dir.resolve("host.yaml"));
        // the JMS row of "What you add", as the README writes it (the broker's address aside)
        settings.put("camel.component.jms.connection-factory",
                "#class:org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(\"tcp://127.0.0.1:" + port + "\")");
        Main host = EsbHostApplication.create(EsbHostApplication.SETTINGS, settings);
        try {
            host.start();
            CamelContext context = host.getCamelContext();
            context.createProducerTemplate().send("direct:pay-supplier", exchange -> exchange.getIn().setHeaders(Map.of(
                    "invoice", "README-0042", "supplierBank", "014", "supplierAccount", "8760673566",
                    "amountDue", 1_250_000)));
            context.createProducerTemplate().send("direct:pay-supplier", exchange -> exchange.getIn().setHeaders(Map.of(
                    "invoice", "README-0043", "supplierBank", "014", "supplierAccount", "8760673566",
                    "amountDue", 5)));

            ConsumerTemplate consumer = context.createConsumerTemplate();
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Exchange outcome = consumer.receive("jms:queue:erp.payout-outcomes", 15_000);
                assertThat(outcome).as("outcome " + (i + 1) + " on the host's queue").isNotNull();
                assertThat(outcome.getMessage().getHeader("JMSCorrelationID")).isEqualTo("README-0042");
                statuses.add(String.valueOf(JSON.readValue(outcome.getMessage().getBody(String.class), Map.class)
                        .get("status")));
            }
            assertThat(statuses).containsExactly("PENDING", "SUCCEEDED");
            Exchange refused = consumer.receive("jms:queue:erp.payouts.refused", 15_000);
            assertThat(refused).as("the refused instruction on the host's queue").isNotNull();
            assertThat(refused.getMessage().getHeader("PayoutRejectReason", String.class)).contains("amount");
        } finally {
            host.stop();
            broker.stop();
        }
    }

    /** The YAML block under "**A complete host**" in the README, as it is written there. */
    static String readmeHostRoutes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("**A complete host**");
        assertThat(section).as("the README's complete host").isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = readme.indexOf("```", start);
        String yaml = readme.substring(start, end);
        assertThat(yaml).contains("routeTemplateRef: payout-submit").contains("jms:queue:erp.payout-outcomes");
        return yaml;
    }
}
