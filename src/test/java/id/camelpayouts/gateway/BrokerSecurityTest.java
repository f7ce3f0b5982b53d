package id.camelpayouts.gateway;

import id.camelpayouts.process.GatewayProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker reached over a real TCP acceptor (127.0.0.1, a free port), as another system
 * would: nobody gets in without the credentials; the producer may only send instructions, the
 * consumer may only read outcomes and dead letters; an ObjectMessage is never deserialized.
 */
class BrokerSecurityTest extends GatewayTestSupport {

    static final String PRODUCER = "payouts-producer";
    static final String PRODUCER_PASSWORD = "producer-pw-3f1";
    static final String CONSUMER = "payouts-consumer";
    static final String CONSUMER_PASSWORD = "consumer-pw-8a2";
    final String url = "tcp://127.0.0.1:" + GatewayProcess.freePort();

    BrokerSecurityTest() {
        System.setProperty("payouts.jms.acceptor", url);
        System.setProperty("payouts.jms.producer-password", PRODUCER_PASSWORD);
        System.setProperty("payouts.jms.consumer-password", CONSUMER_PASSWORD);
    }

    @AfterAll
    void forgetBrokerSettings() {
        System.clearProperty("payouts.jms.acceptor");
        System.clearProperty("payouts.jms.producer-password");
        System.clearProperty("payouts.jms.consumer-password");
    }

    @Test
    void withoutCredentialsOrWithWrongOnesNobodyConnects() {
        assertThatThrownBy(() -> connect(null, null).close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(PRODUCER, CONSUMER_PASSWORD).close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("payouts-gateway", "").close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("admin", "admin").close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void theProducerSendsAnInstructionAndTheConsumerReadsItsOutcomes() throws Exception {
        String reference = reference("tcp");
        try (Connection producer = connect(PRODUCER, PRODUCER_PASSWORD);
                Connection consumer = connect(CONSUMER, CONSUMER_PASSWORD)) {
            Session sending = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sending.createProducer(sending.createQueue("payouts.requests"))
                    .send(sending.createTextMessage(instruction(reference, "8760673566", 50000)));
            consumer.start();
            Session receiving = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer outcomes = receiving.createConsumer(receiving.createQueue("payouts.outcomes"),
                    "JMSCorrelationID='" + reference + "'");
            String last = "";
            long deadline = System.currentTimeMillis() + 20_000;
            while (!last.contains("SUCCEEDED") && System.currentTimeMillis() < deadline) {
                TextMessage outcome = (TextMessage) outcomes.receive(500);
                last = outcome == null ? last : outcome.getText();
            }
            assertThat(last).contains("\"reference\":\"" + reference + "\"").contains("\"status\":\"SUCCEEDED\"");
        }
    }

    @Test
    void theProducerCannotReadOutcomesNorDeadLettersNorSendAnywhereElse() throws Exception {
        try (Connection producer = connect(PRODUCER, PRODUCER_PASSWORD)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : new String[] {"payouts.outcomes", "payouts.dead-letter", "payouts.requests"}) {
                assertThatThrownBy(() -> session.createConsumer(session.createQueue(queue)))
                        .as(queue).isInstanceOf(JMSSecurityException.class);
                assertThatThrownBy(() -> session.createBrowser(session.createQueue(queue)).getEnumeration())
                        .as(queue).isInstanceOf(JMSSecurityException.class);
            }
            assertThatThrownBy(() -> session.createProducer(session.createQueue("payouts.outcomes"))
                    .send(session.createTextMessage("{\"reference\":\"forged\",\"status\":\"SUCCEEDED\"}")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void theConsumerCannotSendInstructions() throws Exception {
        try (Connection consumer = connect(CONSUMER, CONSUMER_PASSWORD)) {
            Session session = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createProducer(session.createQueue("payouts.requests"))
                    .send(session.createTextMessage(instruction(reference("tcp"), "8760673566", 50000))))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("payouts.requests")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    /**
     * The producer may send only to the requests queue; a JMSReplyTo naming one of the gateway's
     * other queues must not make the gateway write there for it (with its own rights): a refusal
     * for a real payout's reference, carried into the outcomes queue under that reference, would
     * tell the merchant's systems a paid payout was REJECTED.
     */
    @Test
    void aReplyToTheGatewaysOwnQueuesIsNeverSentSoTheProducerCannotForgeAnOutcome() throws Exception {
        String paid = reference("reply-victim");
        assertThat(post("/api/payouts", instruction(paid, "8760673566", 50000)).status()).isEqualTo(202);
        assertThat(awaitFinal(paid).getStatus()).isEqualTo("SUCCEEDED");
        String probe = reference("reply-probe");
        try (Connection producer = connect(PRODUCER, PRODUCER_PASSWORD);
                Connection consumer = connect(CONSUMER, CONSUMER_PASSWORD)) {
            Session sending = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : new String[] {"payouts.outcomes", "payouts.dead-letter", "payouts.requests"}) {
                TextMessage hostile = sending.createTextMessage(
                        "{\"reference\":\"" + paid + "\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":1}");
                hostile.setJMSCorrelationID(paid);
                hostile.setJMSReplyTo(sending.createQueue(queue));
                hostile.setStringProperty("probe", probe);
                sending.createProducer(sending.createQueue("payouts.requests")).send(hostile);
            }
            consumer.start();
            Session receiving = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer deadLetters = receiving.createConsumer(receiving.createQueue("payouts.dead-letter"),
                    "probe='" + probe + "'");
            for (int i = 0; i < 3; i++) {
                Message parked = deadLetters.receive(20_000);
                assertThat(parked).as("each refused request parked with its reason").isNotNull();
                assertThat(parked.getStringProperty("PayoutRejectReason")).contains("amount");
            }
            MessageConsumer outcomes = receiving.createConsumer(receiving.createQueue("payouts.outcomes"),
                    "JMSCorrelationID='" + paid + "'");
            for (Message outcome = outcomes.receive(3000); outcome != null; outcome = outcomes.receive(1000)) {
                assertThat(((TextMessage) outcome).getText()).as("an outcome of the paid payout (PENDING, SUCCEEDED)")
                        .doesNotContain("REJECTED");
            }
            Message forgedDeadLetter = receiving.createConsumer(receiving.createQueue("payouts.dead-letter"),
                    "JMSCorrelationID='" + paid + "' AND probe IS NULL").receive(1000);
            assertThat(forgedDeadLetter).as("a reply written into the dead-letter queue").isNull();
        }
        assertThat(ledger.find(paid).getStatus()).isEqualTo("SUCCEEDED");
    }

    /**
     * The gateway's JMS client reads a message whole before the intake can look at its size: a
     * 150 MB message ended the gateway (OutOfMemoryError) at every start while it stayed queued.
     * The broker refuses it when sent; a message over the intake's 64 KiB but within the broker's
     * limit is still parked with its reason.
     */
    @Test
    void aHugeMessageIsRefusedWhenSentAndALargeOneIsParked() throws Exception {
        String probe = reference("huge");
        try (Connection producer = connect(PRODUCER, PRODUCER_PASSWORD);
                Connection consumer = connect(CONSUMER, CONSUMER_PASSWORD)) {
            Session sending = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var requests = sending.createProducer(sending.createQueue("payouts.requests"));
            BytesMessage bytes = sending.createBytesMessage();
            bytes.writeBytes(new byte[2_000_000]);
            assertThatThrownBy(() -> requests.send(bytes)).isInstanceOf(JMSException.class)
                    .hasMessageContaining("at most");
            TextMessage text = sending.createTextMessage("x".repeat(2_000_000));
            assertThatThrownBy(() -> requests.send(text)).isInstanceOf(JMSException.class)
                    .hasMessageContaining("at most");
            TextMessage large = sending.createTextMessage("{\"reference\":\"" + probe + "\",\"purpose\":\""
                    + "p".repeat(100_000) + "\"}");
            large.setStringProperty("probe", probe);
            requests.send(large);

            assertThat(parked(consumer, probe).getStringProperty("PayoutRejectReason")).contains("larger than");
        }
        String after = reference("after-huge");
        assertThat(post("/api/payouts", instruction(after, "8760673566", 50000)).status()).isEqualTo(202);
        assertThat(awaitFinal(after).getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anObjectMessageIsNeverDeserializedAndEndsInTheDeadLetterQueueWithItsReason() throws Exception {
        String probe = reference("object-message");
        try (Connection producer = connect(PRODUCER, PRODUCER_PASSWORD);
                Connection consumer = connect(CONSUMER, CONSUMER_PASSWORD)) {
            Session sending = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            ObjectMessage hostile = sending.createObjectMessage(new Tripwire());
            hostile.setStringProperty("probe", probe);
            sending.createProducer(sending.createQueue("payouts.requests")).send(hostile);

            Message parked = parked(consumer, probe);
            assertThat(parked.getStringProperty("PayoutRejectReason")).isNotBlank();
            assertThat(parked).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) parked).getText()).contains("ObjectMessage");
        }
        assertThat(Tripwire.READ).as("deserialized").isFalse();
    }

    @Test
    void theGatewaysOwnConnectionsRefuseToDeserializeAnObjectMessage() throws Exception {
        ConnectionFactory gateways = context.getComponent("jms", JmsComponent.class).getConfiguration()
                .getConnectionFactory();
        try (Connection connection = gateways.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue scratch = session.createQueue("test.object-messages");
            session.createProducer(scratch).send(session.createObjectMessage(new Tripwire()));
            ObjectMessage received = (ObjectMessage) session.createConsumer(scratch).receive(5000);
            assertThatThrownBy(received::getObject).isInstanceOf(JMSException.class);
        }
        assertThat(Tripwire.READ).as("deserialized").isFalse();
    }

    /** The message with this probe property, parked in the dead-letter queue (read as the consumer). */
    private static Message parked(Connection consumer, String probe) throws JMSException {
        consumer.start();
        Session receiving = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Message parked = receiving.createConsumer(receiving.createQueue("payouts.dead-letter"),
                "probe='" + probe + "'").receive(20_000);
        assertThat(parked).as("parked in the dead-letter queue").isNotNull();
        return parked;
    }

    private Connection connect(String user, String password) throws JMSException {
        // the factory is not closed: that would close the connection it made
        return new ActiveMQConnectionFactory(url).createConnection(user, password);
    }

    /** What an attacker's gadget would be: its readObject runs when a consumer deserializes it. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean READ = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READ.set(true);
        }
    }
}
