package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JmsPayoutsTest extends GatewayTestSupport {

    MockEndpoint outcomes;
    MockEndpoint deadLetters;

    /** What a merchant's system would do: listen on the outcomes and dead-letter queues (once per gateway). */
    @BeforeEach
    void listenToTheGatewaysQueues() throws Exception {
        outcomes = context.getEndpoint("mock:outcomes", MockEndpoint.class);
        deadLetters = context.getEndpoint("mock:dead-letters", MockEndpoint.class);
        if (context.getRoute("test-outcomes") != null) {
            return;
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:payouts.outcomes").routeId("test-outcomes").to("mock:outcomes");
                from("jms:queue:payouts.dead-letter").routeId("test-dead-letters").to("mock:dead-letters");
            }
        });
    }

    @Test
    void instructionsOnTheRequestsQueueProduceAnOutcomeWhenTakenInAndWhenFinal() {
        ProducerTemplate producer = context.createProducerTemplate();
        String good = reference("jms");
        String unknown = reference("jms");
        producer.sendBody("jms:queue:payouts.requests", instruction(good, "8760673566", 50000));
        producer.sendBody("jms:queue:payouts.requests", instruction(unknown, "8760673561", 50000)); // TO

        List<Map<String, Object>> goodOutcomes = outcomesUntilFinal(good);
        assertThat(goodOutcomes).extracting(o -> o.get("status")).containsExactly("PENDING", "SUCCEEDED");
        assertThat(goodOutcomes.get(goodOutcomes.size() - 1)).containsEntry("responseCode", "00")
                .containsEntry("provider", "duitku").containsKey("providerReference");

        // the timed-out transfer's wait (PENDING, TO) is nothing a consumer acts on: no outcome for it
        List<Map<String, Object>> unknownOutcomes = outcomesUntilFinal(unknown);
        assertThat(unknownOutcomes).extracting(o -> o.get("status")).containsExactly("PENDING", "SUCCEEDED");
        assertThat(ledger.history(unknown)).anySatisfy(event -> assertThat(event).contains("TO"));
        assertThat(twin.transfersExecuted(ledger.find(unknown).getProviderReference())).isEqualTo(1);
    }

    @Test
    void whatIsNotAValidInstructionGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        ProducerTemplate producer = context.createProducerTemplate();
        String conflict = reference("jms-conflict");
        producer.sendBody("jms:queue:payouts.requests", instruction(conflict, "8760673566", 50000));
        awaitFinal(conflict);
        deadLetters.reset();
        deadLetters.expectedMessageCount(3);
        producer.sendBody("jms:queue:payouts.requests", "{not json at all");
        producer.sendBody("jms:queue:payouts.requests", "{\"reference\":\"jms-invalid\",\"amount\":-1}");
        producer.sendBody("jms:queue:payouts.requests", instruction(conflict, "8760673566", 99000));

        deadLetters.assertIsSatisfied(15_000);
        // consumed concurrently: in any order, each message as it was sent, with its own reason
        Map<String, String> reasons = new HashMap<>();
        deadLetters.getExchanges().forEach(m -> reasons.put(m.getMessage().getBody(String.class),
                m.getMessage().getHeader("PayoutRejectReason", String.class)));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{not json at all", "body: must be a JSON object with the instruction's fields",
                "{\"reference\":\"jms-invalid\",\"amount\":-1}",
                "bankCode: required; accountNumber: required; amount: must be a positive whole number of rupiah",
                instruction(conflict, "8760673566", 99000),
                "reference " + conflict + " was already used for a different instruction; use a new reference"));
        assertThat(ledger.find("jms-invalid")).isNull();
        assertThat(ledger.find(conflict).getInstruction().amount()).isEqualTo(50000);
    }

    /**
     * A request with JMSReplyTo (request/reply) that is refused: it goes to the dead-letter queue
     * once, at once, and the refusal is the reply. Parking it must not wait for a reply of its own
     * (that held the consumer 20 s, then rolled the message back to be redelivered and parked
     * again, ten times: a few such messages stopped the queue).
     */
    @Test
    void aRefusedRequestWithAReplyToIsParkedOnceAndAnsweredAtOnce() throws Exception {
        ProducerTemplate producer = context.createProducerTemplate();
        deadLetters.reset();
        String refused = "{\"reference\":\"" + reference("jms-reply") + "\",\"amount\":1}";
        long began = System.nanoTime();
        String reply = producer.requestBody("jms:queue:payouts.requests?requestTimeout=10000", refused, String.class);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("time to answer").isLessThan(Duration.ofSeconds(5));
        assertThat(new Response(200, reply).json()).containsEntry("status", "REJECTED");
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.getReceivedCounter() >= 1);
        Thread.sleep(2000); // a redelivery would park it again
        assertThat(deadLetters.getExchanges()).extracting(m -> m.getMessage().getBody(String.class))
                .containsExactly(refused);
    }

    /**
     * A StreamMessage and a message without a body are no instructions: each is parked once, at once,
     * with its reason. They reached the dead-letter route as the received (read-only) JMS message,
     * whose forwarding failed, rolled back and was redelivered, a stack trace each time.
     */
    @Test
    void aStreamMessageAndAMessageWithoutABodyAreParkedOnceWithTheirReason() throws Exception {
        deadLetters.reset();
        String probe = reference("jms-kinds");
        ConnectionFactory gateways = context.getComponent("jms", JmsComponent.class).getConfiguration()
                .getConnectionFactory();
        try (Connection connection = gateways.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            StreamMessage stream = session.createStreamMessage();
            stream.writeString(instruction(probe, "8760673566", 50000));
            Message bare = session.createMessage();
            for (Message message : List.of(stream, bare)) {
                message.setStringProperty("probe", probe);
                session.createProducer(session.createQueue("payouts.requests")).send(message);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.getReceivedCounter() >= 2);
        Thread.sleep(2000); // a redelivery would park one again
        assertThat(deadLetters.getExchanges()).hasSize(2).allSatisfy(parked -> {
            assertThat(parked.getMessage().getHeader("probe", String.class)).isEqualTo(probe);
            assertThat(parked.getMessage().getHeader("PayoutRejectReason", String.class)).isNotBlank();
        });
        assertThat(deadLetters.getExchanges()).extracting(m -> m.getMessage().getBody(String.class))
                .anySatisfy(body -> assertThat(body).contains("StreamMessage"));
        assertThat(ledger.find(probe)).isNull();
    }

    /** This payout's outcome messages (JMSCorrelationID = reference), once a final one has arrived. */
    private List<Map<String, Object>> outcomesUntilFinal(String reference) {
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomesOf(reference).stream()
                .anyMatch(o -> List.of("SUCCEEDED", "FAILED", "REJECTED").contains(o.get("status"))));
        return outcomesOf(reference);
    }

    private List<Map<String, Object>> outcomesOf(String reference) {
        return outcomes.getExchanges().stream()
                .filter(m -> reference.equals(m.getMessage().getHeader("JMSCorrelationID")))
                .map(Exchange::getMessage)
                .map(m -> new Response(200, m.getBody(String.class)).json())
                .toList();
    }
}
