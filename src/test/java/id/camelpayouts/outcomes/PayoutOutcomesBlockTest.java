package id.camelpayouts.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;

import id.camelpayouts.jms.OneJmsTransactionPerRead;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.LedgerSteps;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.InstructionParser;

/**
 * The payout-outcomes block as a host gets it (from the jar's classpath), against a destination
 * that fails in the middle of a read: what it took before is not sent again, the failed outcome
 * is sent again, nothing after it is skipped, and the order holds.
 */
class PayoutOutcomesBlockTest {

    private static final List<String> REFERENCES = IntStream.range(0, 10).mapToObj(i -> "ob-" + i).toList();

    /** A ledger on {@code h2} with one outcome per reference waiting in the outbox of channel "erp". */
    private static PayoutLedger ledgerWithPayouts(HikariDataSource h2, List<String> references) throws Exception {
        LedgerSchema.apply(h2);
        PayoutLedger ledger = new PayoutLedger(h2, Clock.systemUTC(), new LedgerPolicy(Duration.ofMinutes(2),
                Duration.ofMinutes(2), List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5),
                Duration.ofMinutes(15), Duration.ofHours(24)), "outcomes-test", List.of("erp"));
        for (String reference : references) {
            ledger.submit(new InstructionParser().parse(Map.of("reference", reference, "bankCode", "014",
                    "accountNumber", "8760673566", "amount", 50000)).instruction());
        }
        return ledger;
    }

    @Test
    void aDestinationFailingMidwayLosesNothingSkipsNothingAndRepeatsNothingItTook() throws Exception {
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:outcomes-block");
            PayoutLedger ledger = ledgerWithPayouts(h2, REFERENCES);
            List<String> references = REFERENCES;
            List<String> received = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean failedOnce = new AtomicBoolean();

            try (DefaultCamelContext context = new DefaultCamelContext()) {
                context.getRegistry().bind("payoutsLedger", ledger);
                LedgerSteps.bindOutbox(context.getRegistry(), ledger);
                context.getRegistry().bind("payoutsDeliveryBackoff", new DeliveryBackoff(Duration.ofMillis(50),
                        Duration.ofMillis(100), Clock.systemUTC()));
                context.getRegistry().bind("payoutsOneOutcomeAtATime", new OneOutcomeAtATime());
                PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                        .resolveResource("classpath:camel-payouts/blocks/payout-outcomes.camel.yaml"));
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:erp-outcomes").process(exchange -> {
                            String reference = exchange.getMessage().getHeader("PayoutReference", String.class);
                            received.add(reference);
                            if ("ob-4".equals(reference) && failedOnce.compareAndSet(false, true)) {
                                throw new IllegalStateException("ERP down");
                            }
                        });
                    }
                });
                TemplatedRouteBuilder.builder(context, "payout-outcomes").routeId("erp-outcomes")
                        .parameter("channel", "erp").parameter("destination", "direct:erp-outcomes")
                        .parameter("period", "20").add();
                context.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> ledger.outbox("erp", 100).getMessages().isEmpty());
                Thread.sleep(200); // a few more reads: nothing more may arrive
            }
            List<String> expected = new ArrayList<>(references.subList(0, 5));
            expected.addAll(references.subList(4, 10));
            assertThat(received).containsExactlyElementsOf(expected);
        }
    }

    /**
     * The gateway's queue delivery: a read in one JMS transaction. The destination fails after the
     * queue took ob-0 to ob-4 in the first read: the transaction rolls them back, and the next read
     * sends all ten again, so the queue holds each outcome once, in order (one at a time, ob-4 would
     * be there twice: it was taken, and its failure left it to be sent again).
     */
    @Test
    void aJmsReadIsOneTransactionAFailureRollsItBackWholeAndTheQueueHoldsEachOutcomeOnce() throws Exception {
        Path journal = Files.createTempDirectory("outcomes-block-broker");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(true).setSecurityEnabled(false).setJMXManagementEnabled(false)
                .setJournalDirectory(journal.resolve("journal").toString())
                .setBindingsDirectory(journal.resolve("bindings").toString())
                .setPagingDirectory(journal.resolve("paging").toString())
                .setLargeMessagesDirectory(journal.resolve("large").toString())
                .addAcceptorConfiguration("in-vm", "vm://7"));
        broker.start();
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:outcomes-block-jms");
            PayoutLedger ledger = ledgerWithPayouts(h2, REFERENCES);
            List<String> references = REFERENCES;
            AtomicBoolean failedOnce = new AtomicBoolean();
            CachingConnectionFactory connections = new CachingConnectionFactory(new ActiveMQConnectionFactory("vm://7"));
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                context.getComponent("jms", JmsComponent.class).setConnectionFactory(connections);
                context.getRegistry().bind("payoutsLedger", ledger);
                LedgerSteps.bindOutbox(context.getRegistry(), ledger);
                context.getRegistry().bind("payoutsDeliveryBackoff", new DeliveryBackoff(Duration.ofMillis(50),
                        Duration.ofMillis(100), Clock.systemUTC()));
                context.getRegistry().bind("payoutsOneOutcomeAtATime", new OneOutcomeAtATime());
                context.getRegistry().bind("payoutsOneJmsTransactionPerRead", new OneJmsTransactionPerRead(connections));
                PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                        .resolveResource("classpath:camel-payouts/blocks/payout-outcomes.camel.yaml"));
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:erp-outcomes").to("jms:queue:erp.outcomes").process(exchange -> {
                            if ("ob-4".equals(exchange.getMessage().getHeader("PayoutReference"))
                                    && failedOnce.compareAndSet(false, true)) {
                                throw new IllegalStateException("failed after the queue took ob-4");
                            }
                        });
                    }
                });
                TemplatedRouteBuilder.builder(context, "payout-outcomes").routeId("erp-outcomes")
                        .parameter("channel", "erp").parameter("destination", "direct:erp-outcomes")
                        .parameter("period", "20").parameter("delivery", "payoutsOneJmsTransactionPerRead").add();
                context.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> ledger.outbox("erp", 100).getMessages().isEmpty());
                Thread.sleep(200); // a few more reads: nothing more may arrive
            }
            assertThat(failedOnce).isTrue();
            assertThat(queued(connections, "erp.outcomes")).containsExactlyElementsOf(references);
            connections.destroy();
        } finally {
            broker.stop();
        }
    }

    private static List<String> queued(ConnectionFactory connections, String queue) throws Exception {
        List<String> references = new ArrayList<>();
        try (Connection connection = connections.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (Message message = consumer.receive(1000); message != null; message = consumer.receive(200)) {
                references.add(message.getStringProperty("PayoutReference"));
            }
        }
        return references;
    }
}
